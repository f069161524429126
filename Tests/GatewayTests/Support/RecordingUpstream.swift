import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A plain-HTTP upstream for tests that records exactly what it received and answers by path:
/// - `/slow…` never answers (504 tests), `/reset…` closes the connection (502 tests),
/// - `/download?bytes=N` streams N bytes, `/upload…` answers with the body size it counted,
/// - anything else answers 200 `ok`.
final class RecordingUpstream: Sendable {
    struct Request: Sendable {
        var head: HTTPRequestHead
        var bodyBytes: Int
        /// Header value by lowercased name (first occurrence).
        func header(_ name: String) -> String? { self.head.headers.first(name: name) }
        /// Every header name, lowercased.
        var headerNames: [String] { self.head.headers.map { $0.name.lowercased() } }
    }

    private let recorded = Mutex<[Request]>([])
    private let waiters = Mutex<[(count: Int, continuation: CheckedContinuation<Void, Never>)]>([])
    private let channel: any Channel

    var port: Int { self.channel.localAddress?.port ?? 0 }

    var requests: [Request] { self.recorded.withLock { $0 } }

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> RecordingUpstream {
        let box = RecorderBox()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(UpstreamTestHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let upstream = RecordingUpstream(channel: channel)
        box.sink.withLock { $0 = { request in upstream.append(request) } }
        return upstream
    }

    private func append(_ request: Request) {
        let count = self.recorded.withLock {
            $0.append(request)
            return $0.count
        }
        let ready = self.waiters.withLock { waiters in
            let ready = waiters.filter { $0.count <= count }
            waiters.removeAll { $0.count <= count }
            return ready
        }
        ready.forEach { $0.continuation.resume() }
    }

    /// Returns once the upstream has received at least `count` complete requests.
    func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let done = self.waiters.withLock { waiters in
                if self.recorded.withLock({ $0.count }) >= count { return true }
                waiters.append((count, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    func stop() async {
        try? await self.channel.close()
    }
}

final class RecorderBox: Sendable {
    let sink = Mutex<(@Sendable (RecordingUpstream.Request) -> Void)?>(nil)
}

private final class UpstreamTestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let box: RecorderBox
    var head: HTTPRequestHead?
    var bodyBytes = 0

    init(box: RecorderBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.bodyBytes = 0
        case .body(let buffer):
            self.bodyBytes += buffer.readableBytes
        case .end:
            guard let head = self.head else { return }
            let request = RecordingUpstream.Request(head: head, bodyBytes: self.bodyBytes)
            self.box.sink.withLock { $0 }?(request)
            self.respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri
        if path.hasPrefix("/slow") { return }
        if path.hasPrefix("/reset") {
            context.close(promise: nil)
            return
        }
        if path.hasPrefix("/download"), let bytes = path.split(separator: "=").last.flatMap({ Int($0) }) {
            self.stream(bytes: bytes, context: context)
            return
        }
        let body = path.hasPrefix("/upload") ? "\(self.bodyBytes)" : "ok"
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "\(body.utf8.count)")
        headers.add(name: "content-type", value: "text/plain")
        headers.add(name: "x-upstream-secret", value: "internal")
        headers.add(name: "connection", value: "keep-alive, x-upstream-secret")
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Streams `bytes` respecting backpressure (writes the next chunk when the last one is flushed).
    private func stream(bytes: Int, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "\(bytes)")
        context.writeAndFlush(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let loopContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        func next(_ remaining: Int) {
            let context = loopContext.value
            guard remaining > 0 else {
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            let size = min(remaining, chunk.readableBytes)
            context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(chunk.getSlice(at: 0, length: size)!)))).whenSuccess {
                next(remaining - size)
            }
        }
        next(bytes)
    }
}
