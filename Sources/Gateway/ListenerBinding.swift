import GatewayCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

/// Binds one listener and builds each accepted connection's pipeline:
/// SNI capture → TLS (with our verification callback) → HTTP/1.1 request decoder →
/// `DownstreamHandler` (which writes its responses as bytes).
enum ListenerBinding {
    static func bind(_ shared: ListenerContext, group: any EventLoopGroup) async throws -> any Channel {
        let address = shared.listener.address
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // tcpOption (IPPROTO_TCP), not socketOption: at SOL_SOCKET the value of TCP_NODELAY
            // is SO_DEBUG, which needs CAP_NET_ADMIN and fails every accepted connection inside a
            // container (found by scripts/container-test.sh).
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
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
        let preTLS = PreTLSDiscardHandler()
        let sync = channel.pipeline.syncOperations
        let sni = ByteToMessageHandler(
            SNIHandler { result in
                if case .hostname(let name) = result { tls.sni = name }
                return channel.eventLoop.makeCompletedFuture {
                    try Self.addProtocolHandlers(channel, shared: shared, tls: tls, before: downstream)
                    // From here on the SNI handler hands its buffered ClientHello to TLS.
                    channel.pipeline.syncOperations.removeHandler(preTLS, promise: nil)
                }
            }
        )
        try sync.addHandler(sni)
        try sync.addHandler(preTLS)
        try sync.addHandler(downstream)
    }

    /// Sits between the SNI handler and `DownstreamHandler` until TLS is installed, and drops the
    /// raw bytes `SNIHandler` flushes when a connection closes before its ClientHello is complete
    /// (its `decodeLast` forwards whatever it buffered, even nothing).
    ///
    /// Why: `DownstreamHandler` reads HTTP parts; a raw `ByteBuffer` reaching it is a fatal type
    /// mismatch, so any client that connected and then closed (or was closed by
    /// `handshake_timeout`) before finishing a ClientHello crashed the whole process. The close
    /// itself still reaches `DownstreamHandler`, which logs the handshake failure.
    final class PreTLSDiscardHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            // Bytes of an unfinished ClientHello on a closing connection: nothing to do with them.
        }
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
        // Only NIO's request decoder: DownstreamHandler holds pipelined requests itself and writes
        // its responses as bytes (`DownstreamResponseEncoder`), so no HTTP encoder, header
        // validator or pipelining handler sits between it and TLS.
        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)), position: .before(downstream))
    }
}
