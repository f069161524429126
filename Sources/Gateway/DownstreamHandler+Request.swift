import GatewayCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// Route → sanitize → forward: what happens to the parts of a request.
extension DownstreamHandler {
    func requestHead(_ head: HTTPRequestHead) {
        self.waitTimer?.disarm()
        self.nextExchangeID &+= 1
        let inboundID = head.headers.first(name: "x-request-id")
        let requestID = inboundID.flatMap { RequestID.isWellFormed($0) ? $0 : nil } ?? Self.requestIDs.next()
        let exchange = ProxyExchange(
            id: self.nextExchangeID,
            head: head,
            requestID: requestID,
            keepAlive: head.isKeepAlive && !self.draining
        )
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
        exchange.expectsContinue = (head.version.major, head.version.minor) >= (1, 1) && head.headers.first(name: "expect")?.lowercased() == "100-continue"
        self.exchange = exchange

        let decision = RequestAdmission.decide(
            head: head,
            connection: .init(sni: self.tls.sni, hasIdentity: self.identity != nil),
            routes: self.shared.routes,
            maxHeaderSize: self.shared.settings.maxHeaderSize,
            requiresCertificate: { self.shared.requiresCertificate($0) }
        )
        switch decision {
        case .reject(let kind, let allow):
            self.reject(kind, allow: allow)
        case .forward(let route, let upstreamPath, _):
            self.forward(head: head, route: route, upstreamPath: upstreamPath)
        }
    }

    private func forward(head: HTTPRequestHead, route: RouteConfiguration, upstreamPath: String) {
        guard let exchange = self.exchange else { return }
        guard let cluster = self.shared.clusters[route.upstream] else {
            // Validation guarantees every route names an upstream; this is a bug if reached.
            self.reject(.internalError, allow: [])
            return
        }
        exchange.route = route
        exchange.cluster = cluster

        var upstreamHead = HTTPRequestHead(version: .http1_1, method: head.method, uri: upstreamPath, headers: head.headers)
        var forwarding = ForwardingContext(
            downstreamAddress: self.downstreamIP,
            downstreamIsTrusted: self.downstreamTrusted,
            scheme: "https",
            requestHost: head.headers.first(name: "host"),
            localPort: self.localPort,
            // Appended by the upstream encoder as pre-serialised bytes (`identityHeaderBlock`).
            identityHeaders: [],
            requestID: exchange.requestID,
            localPortText: self.localPortText
        )
        if let cached = self.forwardedElementCache, cached.host == forwarding.requestHost {
            forwarding.forwardedElement = cached.element
        } else {
            let element = HeaderPolicy.forwardedElement(forwarding)
            self.forwardedElementCache = (forwarding.requestHost, element)
            forwarding.forwardedElement = element
        }
        do {
            try HeaderPolicy.prepareUpstreamRequest(&upstreamHead.headers, context: forwarding)
        } catch {
            self.exchange = exchange
            self.reject(.invalidHeader, allow: [])
            return
        }
        // We answer `Expect: 100-continue` ourselves once the upstream is connected (as nginx
        // does), so the upstream never sees the expectation.
        upstreamHead.headers.remove(name: "expect")
        // A body-less POST/PUT/PATCH from the client must stay body-less upstream: say so, or
        // the encoder would frame it as chunked.
        if head.method == .POST || head.method == .PUT || head.method == .PATCH,
            !upstreamHead.headers.contains(name: "content-length"),
            !upstreamHead.headers.contains(name: "transfer-encoding")
        {
            upstreamHead.headers.add(name: "content-length", value: "0")
        }
        exchange.upstreamHead = upstreamHead
        exchange.serverOrder = cluster.serversToTry(now: .now())
        self.exchange = exchange
        guard !exchange.serverOrder.isEmpty else {
            self.shared.metrics.upstreamFailure(upstream: cluster.configuration.name, kind: "no_healthy_upstream")
            self.reject(.noHealthyUpstream, allow: [])
            return
        }
        self.connectUpstream()
    }

    func requestBody(_ buffer: ByteBuffer) {
        guard let exchange = self.exchange else { return }
        exchange.bytesReceived += buffer.readableBytes
        if let limit = exchange.route?.maxBodySize, exchange.bytesReceived > limit, exchange.phase != .rejected {
            self.exchange = exchange
            self.bodyTooLarge()
            return
        }
        switch exchange.phase {
        case .rejected, .done:
            self.exchange = exchange
        case .connecting:
            exchange.pendingBody.append(buffer)
            self.exchange = exchange
            self.pauseReading()
        case .forwarding:
            self.exchange = exchange
            guard let upstream = exchange.upstream else { return }
            upstream.handler.write(.body(.byteBuffer(buffer)), promise: nil)
            self.upstreamNeedsFlush = true
            // Upload backpressure: stop reading the client while the upstream socket is full.
            if !upstream.channel.isWritable { self.pauseReading() }
        }
    }

    func requestEnd(_ trailers: HTTPHeaders?) {
        guard let exchange = self.exchange else { return }
        exchange.requestComplete = true
        if let trailers, exchange.phase == .connecting || exchange.phase == .forwarding {
            do {
                try HeaderPolicy.validateTrailers(trailers)
            } catch {
                // The head (and maybe body) already went upstream: that connection carries a
                // half-sent request, so `reject` closes it; the client gets 400 (or, if the
                // response already started, a closed connection).
                exchange.keepAlive = false
                self.reject(.invalidHeader, allow: [])
                return
            }
        }
        switch exchange.phase {
        case .rejected:
            self.exchange = exchange
            // The error response was already written; the connection may serve the next request.
            self.finishRejected()
        case .done:
            self.exchange = exchange
            self.exchangeFinished(after: nil)
        case .connecting:
            exchange.pendingEnd = true
            exchange.pendingTrailers = trailers
            self.exchange = exchange
        case .forwarding:
            exchange.requestEndForwarded = true
            self.exchange = exchange
            exchange.upstream?.handler.write(.end(trailers), promise: nil)
            self.upstreamNeedsFlush = true
            self.armResponseTimer()
        }
    }

    /// The body outgrew `max_body_size` while streaming: 413 if nothing was answered yet; the
    /// upstream connection saw a truncated request and is closed, never reused.
    private func bodyTooLarge() {
        guard let exchange = self.exchange else { return }
        if let upstream = exchange.upstream {
            upstream.handler.receiver = nil
            upstream.channel.close(promise: nil)
            exchange.upstream = nil
        }
        self.responseTimer?.disarm()
        exchange.keepAlive = false
        let started = exchange.responseStarted
        self.exchange = exchange
        if started {
            self.exchange?.errorCode = ProxyErrorKind.bodyTooLarge.rawValue
            self.logExchange()
            self.closeConnection()
        } else {
            self.reject(.bodyTooLarge, allow: [])
        }
    }

    /// A request the HTTP parser could not read: answer 400 (431 for an oversized head) and close,
    /// since the byte stream can no longer be trusted to frame a next request.
    func requestParsingFailed(_ error: HTTPParserError) {
        let kind: ProxyErrorKind = error == .headerOverflow ? .headersTooLarge : .malformedRequest
        if let exchange = self.exchange, exchange.responseStarted || exchange.phase == .rejected {
            self.closeConnection()
            return
        }
        if let exchange = self.exchange, let upstream = exchange.upstream {
            upstream.handler.receiver = nil
            upstream.channel.close(promise: nil)
        }
        // The client reads the 400 as the answer to the request still open, if any.
        let method = self.exchange?.head.method
        self.exchange = nil
        self.respondWithoutRequest(kind, answering: method)
    }
}

extension DownstreamHandler {
    private static let requestIDGenerators = ThreadSpecificVariable<RequestIDGenerator>()

    /// This event loop's request-id generator (one per thread: it holds a buffer of random bytes
    /// and is not thread-safe).
    static var requestIDs: RequestIDGenerator {
        if let generator = Self.requestIDGenerators.currentValue { return generator }
        let generator = RequestIDGenerator()
        Self.requestIDGenerators.currentValue = generator
        return generator
    }
}

extension UpstreamServer {
    /// The Host header value for this server (port omitted when it is the scheme's default).
    var hostHeader: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let defaultPort = self.scheme == .https ? 443 : 80
        return self.port == defaultPort ? host : "\(host):\(self.port)"
    }
}
