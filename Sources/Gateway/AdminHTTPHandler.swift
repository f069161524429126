import NIOCore
import NIOHTTP1

/// Answers admin requests (`/healthz`, `/readyz`, `/metrics`) on one plain-HTTP connection.
///
/// The decision is the pure ``AdminHTTPHandler/endpoint(method:uri:)``; the handler only reads the
/// request, renders the chosen endpoint and writes it. Request bodies are ignored; keep-alive is
/// honoured as the client asked.
final class AdminHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// What an admin request asks for.
    enum Endpoint: Equatable {
        case health
        case readiness
        case metrics
        case notFound
        case methodNotAllowed
    }

    /// A rendered response.
    struct Response: Equatable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: String
    }

    static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"
    static let jsonContentType = "application/json"

    private let metrics: GatewayMetrics
    private let readiness: Readiness
    private var head: HTTPRequestHead?

    init(metrics: GatewayMetrics, readiness: Readiness) {
        self.metrics = metrics
        self.readiness = readiness
    }

    /// Maps a request line to an endpoint: only `GET` is allowed (405 otherwise), the query string
    /// is ignored, unknown paths are 404.
    static func endpoint(method: HTTPMethod, uri: String) -> Endpoint {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let endpoint: Endpoint
        switch path {
        case "/healthz":
            endpoint = .health
        case "/readyz":
            endpoint = .readiness
        case "/metrics":
            endpoint = .metrics
        default:
            return .notFound
        }
        return method == .GET ? endpoint : .methodNotAllowed
    }

    /// Renders an endpoint given the current readiness and metrics.
    static func response(for endpoint: Endpoint, isReady: Bool, metrics: () -> String) -> Response {
        switch endpoint {
        case .health:
            return Response(status: .ok, contentType: Self.jsonContentType, body: #"{"status":"ok"}"#)
        case .readiness where isReady:
            return Response(status: .ok, contentType: Self.jsonContentType, body: #"{"status":"ready"}"#)
        case .readiness:
            return Response(
                status: .serviceUnavailable,
                contentType: Self.jsonContentType,
                body: #"{"status":"draining"}"#
            )
        case .metrics:
            return Response(status: .ok, contentType: Self.prometheusContentType, body: metrics())
        case .notFound:
            return Response(status: .notFound, contentType: Self.jsonContentType, body: #"{"error":"not_found"}"#)
        case .methodNotAllowed:
            return Response(
                status: .methodNotAllowed,
                contentType: Self.jsonContentType,
                body: #"{"error":"method_not_allowed"}"#
            )
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head = self.head else {
                return
            }
            self.head = nil
            self.respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let endpoint = Self.endpoint(method: head.method, uri: head.uri)
        let response = Self.response(for: endpoint, isReady: self.readiness.isReady) {
            self.metrics.exposition()
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.utf8.count))
        headers.add(name: "Cache-Control", value: "no-store")
        if endpoint == .methodNotAllowed {
            headers.add(name: "Allow", value: "GET")
        }
        let keepAlive = head.isKeepAlive
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        }
        let responseHead = HTTPResponseHead(version: head.version, status: response.status, headers: headers)
        context.write(self.wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD {  // RFC 9110 §9.3.2: a response to HEAD has no content
            let body = context.channel.allocator.buffer(string: response.body)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
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
