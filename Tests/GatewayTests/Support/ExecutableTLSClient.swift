import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// A loopback client for connection-level tests: a TLS connection whose handshake outcome can be
/// awaited (and that then stays open, idle), or a raw TCP connection that sends what the test
/// says (nothing, or plain HTTP). Either way the test can await the server closing it.
final class ExecutableTLSClient: Sendable {
    /// How the TLS handshake ended.
    enum HandshakeOutcome: Sendable, Equatable {
        case completed
        /// The server closed (or reset) the connection, or TLS failed, before the handshake finished.
        case refused(String)
    }

    let channel: any Channel
    private let observer: ConnectionObserver

    private init(channel: any Channel, observer: ConnectionObserver) {
        self.channel = channel
        self.observer = observer
    }

    /// Connects with TLS (SNI `localhost`, trusting the test root) presenting the transport
    /// certificate unless `certificate` is false, and returns once the handshake has an outcome.
    static func connectTLS(port: Int, certificate: Bool = true) async throws -> (ExecutableTLSClient, HandshakeOutcome) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(TestPKI.path("root-ca.pem"))
        if certificate {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(TestPKI.path("tpp-transport.pem")).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: TestPKI.path("tpp-transport.key"), format: .pem))
        }
        let context = try NIOSSLContext(configuration: configuration)
        let observer = ConnectionObserver()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: context, serverHostname: "localhost")
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHandler(ObserverHandler(observer: observer))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let client = ExecutableTLSClient(channel: channel, observer: observer)
        return (client, await observer.handshakeOutcome())
    }

    /// Connects over plain TCP and writes `bytes` (if any); no TLS at all.
    static func connectTCP(port: Int, sending bytes: String? = nil) async throws -> ExecutableTLSClient {
        let observer = ConnectionObserver()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ObserverHandler(observer: observer))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        if let bytes {
            try await channel.writeAndFlush(ByteBuffer(string: bytes))
        }
        return ExecutableTLSClient(channel: channel, observer: observer)
    }

    /// Returns once the connection is closed (by either side).
    func closed() async {
        try? await self.channel.closeFuture.get()
    }

    /// Bytes received (after TLS, if any) so far.
    var received: String { self.observer.received }

    /// Closes the connection and waits for it to be closed.
    func close() async {
        try? await self.channel.close()
    }
}

/// Collects what one connection sees: the handshake outcome and the bytes received.
private final class ConnectionObserver: Sendable {
    private struct State {
        var outcome: ExecutableTLSClient.HandshakeOutcome?
        var waiters: [CheckedContinuation<ExecutableTLSClient.HandshakeOutcome, Never>] = []
        var received = ""
    }

    private let state = Mutex(State())

    func settle(_ outcome: ExecutableTLSClient.HandshakeOutcome) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<ExecutableTLSClient.HandshakeOutcome, Never>] in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    func handshakeOutcome() async -> ExecutableTLSClient.HandshakeOutcome {
        await withCheckedContinuation { continuation in
            let outcome = self.state.withLock { state -> ExecutableTLSClient.HandshakeOutcome? in
                if let outcome = state.outcome { return outcome }
                state.waiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(returning: outcome) }
        }
    }

    func receive(_ text: String) {
        self.state.withLock { $0.received += text }
    }

    var received: String { self.state.withLock { $0.received } }
}

private final class ObserverHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let observer: ConnectionObserver

    init(observer: ConnectionObserver) {
        self.observer = observer
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            self.observer.settle(.completed)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        self.observer.receive(String(buffer: buffer))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.observer.settle(.refused("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.observer.settle(.refused("closed"))
        context.fireChannelInactive()
    }
}
