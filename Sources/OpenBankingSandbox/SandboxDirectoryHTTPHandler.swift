import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves sandbox directory requests on one HTTP/1.1 connection (after TLS).
///
/// The decision is ``SandboxDirectoryRouter``'s; this handler only collects the request (body
/// bounded by ``SandboxDirectoryRouter/maximumBodySize``), runs `respond` off the event loop (it may
/// read the directory from disk) and writes the response, honouring keep-alive.
final class SandboxDirectoryHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Produces the response for a method, URI and body.
    typealias Responder = @Sendable (HTTPMethod, String, [UInt8]) -> SandboxDirectoryRouter.Response

    private let responder: Responder
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false

    init(responder: @escaping Responder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = []
            self.bodyTooLarge = false
        case .body(var buffer):
            guard !self.bodyTooLarge else { return }
            if self.body.count + buffer.readableBytes > SandboxDirectoryRouter.maximumBodySize {
                self.bodyTooLarge = true
                self.body = []
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                self.body += bytes
            }
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            let body = self.body
            self.body = []
            if self.bodyTooLarge {
                let response = SandboxDirectoryRouter.Response(
                    status: .payloadTooLarge,
                    contentType: "application/json",
                    body: Array(#"{"error":"invalid_request","error_description":"the body is too large"}"#.utf8)
                )
                self.write(response, for: head, keepAlive: false, context: context)
                return
            }
            let responder = self.responder
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            NIOThreadPool.singleton.runIfActive(eventLoop: context.eventLoop) {
                responder(head.method, head.uri, body)
            }.whenComplete { result in
                let (handler, context) = loopBound.value
                let response =
                    (try? result.get())
                    ?? SandboxDirectoryRouter.Response(
                        status: .internalServerError,
                        contentType: "application/json",
                        body: Array(#"{"error":"server_error","error_description":"internal error"}"#.utf8)
                    )
                handler.write(response, for: head, keepAlive: head.isKeepAlive, context: context)
            }
        }
    }

    private func write(
        _ response: SandboxDirectoryRouter.Response,
        for head: HTTPRequestHead,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Cache-Control", value: "no-store")
        if let allow = response.allow {
            headers.add(name: "Allow", value: allow)
        }
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        }
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: response.status, headers: headers))),
            promise: nil
        )
        if head.method != .HEAD {  // RFC 9110 §9.3.2
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: written)
        if !keepAlive {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            written.futureResult.whenComplete { _ in
                loopBound.value.close(promise: nil)
            }
        }
    }
}
