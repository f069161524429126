import GatewayCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

/// Binds one listener and builds each accepted connection's pipeline:
/// SNI capture → TLS (with our verification callback) → HTTP/1.1 codec → `DownstreamHandler`.
enum ListenerBinding {
    static func bind(_ shared: ListenerContext, group: any EventLoopGroup) async throws -> any Channel {
        let address = shared.listener.address
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.initialize(channel, shared: shared)
                }
            }
        return try await bootstrap.bind(host: address.host, port: address.port).get()
    }

    private static func initialize(_ channel: any Channel, shared: ListenerContext) throws {
        guard shared.connections.admit(channel) else {
            // Over `max_connections`: refuse before any TLS work is spent on the connection.
            shared.metrics.connectionRejected()
            channel.close(promise: nil)
            return
        }
        shared.metrics.connectionOpened()
        channel.closeFuture.whenComplete { _ in
            shared.connections.remove(channel)
            shared.metrics.connectionClosed()
        }
        let tls = ConnectionTLSState()
        let downstream = DownstreamHandler(shared: shared, tls: tls)
        let sync = channel.pipeline.syncOperations
        let sni = ByteToMessageHandler(
            SNIHandler { result in
                if case .hostname(let name) = result { tls.sni = name }
                return channel.eventLoop.makeCompletedFuture {
                    try Self.addProtocolHandlers(channel, shared: shared, tls: tls, before: downstream)
                }
            }
        )
        try sync.addHandler(sni)
        try sync.addHandler(downstream)
    }

    private static func addProtocolHandlers(
        _ channel: any Channel,
        shared: ListenerContext,
        tls: ConnectionTLSState,
        before downstream: DownstreamHandler
    ) throws {
        let sync = channel.pipeline.syncOperations
        let sslHandler: NIOSSLServerHandler
        if shared.listener.clientCertificate == .none {
            sslHandler = NIOSSLServerHandler(context: shared.sslContext)
        } else {
            sslHandler = NIOSSLServerHandler(
                context: shared.sslContext,
                customVerificationCallbackWithMetadata: ClientVerification.callback(validator: shared.validator, state: tls)
            )
        }
        try sync.addHandler(sslHandler, position: .before(downstream))
        try sync.configureHTTPServerPipeline(
            position: .before(downstream),
            withPipeliningAssistance: false,  // DownstreamHandler holds pipelined requests itself
            withServerUpgrade: nil,
            withErrorHandling: false
        )
    }
}
