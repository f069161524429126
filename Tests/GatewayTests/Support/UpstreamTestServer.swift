import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A scriptable upstream for the upstream-side tests.
///
/// It counts the TCP connections it accepts, records every request with the connection it came
/// on (and, over TLS, the client certificate the gateway presented), and answers with whatever
/// `responder` returns, written byte for byte: so it can also answer badly, close idle
/// connections or never answer at all.
final class UpstreamTestServer: Sendable {
    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: String
        /// 1-based number of the accepted connection the request came on.
        var connection: Int
        /// 1-based position of the request on its connection.
        var sequence: Int
        /// DER of the client certificate the peer presented (TLS servers only).
        var peerCertificate: [UInt8]?

        /// The first value of a header, by case-insensitive name.
        func header(_ name: String) -> String? { self.head.headers.first(name: name) }
        /// Every header name, lowercased.
        var headerNames: [String] { self.head.headers.map { $0.name.lowercased() } }
    }

    /// What the server does with a request.
    struct Reply: Sendable {
        /// Written as-is (may be empty).
        var bytes: String
        /// Close the connection after writing (without announcing it).
        var close: Bool

        /// A well-formed HTTP/1.1 response; `Content-Length` is added unless `headers` frame the
        /// body themselves (`Content-Length` or `Transfer-Encoding`).
        static func response(status: Int = 200, headers: [(String, String)] = [], body: String = "ok") -> Reply {
            var text = "HTTP/1.1 \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)\r\n"
            let framed = headers.contains { ["content-length", "transfer-encoding"].contains($0.0.lowercased()) }
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            if !framed { text += "Content-Length: \(body.utf8.count)\r\n" }
            return Reply(bytes: text + "\r\n" + body, close: false)
        }

        /// Exactly these bytes, then close.
        static func raw(_ bytes: String) -> Reply { Reply(bytes: bytes, close: true) }

        /// Close the connection without answering.
        static let hangUp = Reply(bytes: "", close: true)

        /// Never answer (the connection stays open).
        static let silence = Reply(bytes: "", close: false)

        /// The same reply, followed by a close the response did not announce.
        func thenClose() -> Reply { Reply(bytes: self.bytes, close: true) }
    }

    typealias Responder = @Sendable (Request) -> Reply

    private let state = Mutex(State())
    private let channel: any Channel

    private struct State {
        var accepted = 0
        var closed = 0
        var requests: [Request] = []
        var closeWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// Port on 127.0.0.1.
    var port: Int { self.channel.localAddress?.port ?? 0 }
    /// TCP connections accepted so far.
    var connectionCount: Int { self.state.withLock { $0.accepted } }
    /// Requests received so far, in arrival order.
    var requests: [Request] { self.state.withLock { $0.requests } }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Starts a server on 127.0.0.1, port 0; with `tls`, it speaks TLS using that configuration.
    /// A `mute` server accepts connections and never reads or writes a byte (not even TLS).
    static func start(
        tls: TLSConfiguration? = nil,
        mute: Bool = false,
        responder: @escaping Responder = { _ in .response() }
    ) async throws -> UpstreamTestServer {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let box = UpstreamServerBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server = box.server.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
                    let number = server.connectionAccepted()
                    channel.closeFuture.whenComplete { _ in server.connectionClosed() }
                    if mute { return }
                    let sync = channel.pipeline.syncOperations
                    if let sslContext { try sync.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try sync.addHandler(UpstreamTestServerHandler(connection: number, server: server, responder: responder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = UpstreamTestServer(channel: channel)
        box.server.withLock { $0 = server }
        return server
    }

    /// Returns once the server has seen at least `count` of its connections close.
    func waitForClosedConnections(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let done = self.state.withLock { state in
                if state.closed >= count { return true }
                state.closeWaiters.append((count, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    func stop() async {
        try? await self.channel.close()
    }

    fileprivate func connectionAccepted() -> Int {
        self.state.withLock {
            $0.accepted += 1
            return $0.accepted
        }
    }

    fileprivate func connectionClosed() {
        let ready = self.state.withLock { state in
            state.closed += 1
            let closed = state.closed
            let ready = state.closeWaiters.filter { $0.count <= closed }
            state.closeWaiters.removeAll { $0.count <= closed }
            return ready
        }
        ready.forEach { $0.continuation.resume() }
    }

    fileprivate func record(_ request: Request) {
        self.state.withLock { $0.requests.append(request) }
    }
}

/// Lets the child initializer reach the server object created after `bind`.
private final class UpstreamServerBox: Sendable {
    let server = Mutex<UpstreamTestServer?>(nil)
}

/// Reads requests, records them, writes the scripted reply.
private final class UpstreamTestServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    let connection: Int
    let server: UpstreamTestServer
    let responder: UpstreamTestServer.Responder
    var head: HTTPRequestHead?
    var body = ByteBuffer()
    var sequence = 0

    init(connection: Int, server: UpstreamTestServer, responder: @escaping UpstreamTestServer.Responder) {
        self.connection = connection
        self.server = server
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body.clear()
        case .body(var buffer):
            self.body.writeBuffer(&buffer)
        case .end:
            guard let head = self.head else { return }
            self.sequence += 1
            let peer = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
            let request = UpstreamTestServer.Request(
                head: head,
                body: String(buffer: self.body),
                connection: self.connection,
                sequence: self.sequence,
                peerCertificate: try? peer?.toDERBytes()
            )
            self.server.record(request)
            let reply = self.responder(request)
            let channel = context.channel
            let written = context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: reply.bytes)))
            if reply.close {
                written.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
