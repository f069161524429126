import GatewayCore
import NIOCore
import NIOHTTP1

/// Respond → log: gateway-made responses, the end of an exchange, and the access-log records.
extension DownstreamHandler {
    /// Answers the current request with a gateway error: `{"error":"<code>","request_id":"…"}`.
    func reject(_ kind: ProxyErrorKind, allow: [String]) {
        guard let exchange = self.exchange, let context = self.context else { return }
        self.responseTimer?.disarm()
        if let upstream = exchange.upstream {
            upstream.handler.receiver = nil
            upstream.channel.close(promise: nil)
            exchange.upstream = nil
        }
        if exchange.responseStarted {
            exchange.errorCode = kind.rawValue
            self.exchange = exchange
            self.logExchange()
            self.closeConnection()
            return
        }
        exchange.phase = .rejected
        exchange.errorCode = kind.rawValue
        exchange.responseStarted = true
        exchange.responseStatus = kind.status
        // The connection survives a refusal only if no unread body is left in the stream.
        exchange.keepAlive = exchange.keepAlive && (exchange.requestComplete || exchange.requestHasNoBody)
            && kind.source != .internal && !self.draining
        let body = kind.jsonBody(requestID: exchange.requestID)
        exchange.bytesSent = body.utf8.count
        self.exchange = exchange
        if kind.source == .upstream {
            self.shared.logger.debug("upstream failure answered", metadata: ["error": "\(kind.rawValue)", "request_id": "\(exchange.requestID)"])
        }
        self.logExchange()
        let written = self.writeError(
            kind,
            body: body,
            requestID: exchange.requestID,
            method: exchange.head.method,
            version: exchange.head.version,
            keepAlive: exchange.keepAlive,
            allow: allow,
            context: context
        )
        self.resumeReading()
        if exchange.requestComplete || !exchange.keepAlive {
            self.exchangeFinished(after: written)
        }
    }

    /// A gateway error without a parsed request (parse failure, header timeout): then close.
    ///
    /// `answering`: the method of the request the client will read this as the answer to (a HEAD
    /// whose body could not be parsed gets no body, RFC 9110 §9.3.2).
    func respondWithoutRequest(_ kind: ProxyErrorKind, answering method: HTTPMethod? = nil) {
        guard let context = self.context, self.phase == .ready else { return }
        let requestID = RequestID.generate()
        let body = kind.jsonBody(requestID: requestID)
        self.logConnectionError(kind, requestID: requestID, bytesSent: body.utf8.count)
        let written = self.writeError(kind, body: body, requestID: requestID, method: method, version: .http1_1, keepAlive: false, allow: [], context: context)
        self.phase = .closing
        written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func writeError(
        _ kind: ProxyErrorKind,
        body: String,
        requestID: String,
        method: HTTPMethod?,
        version: HTTPVersion,
        keepAlive: Bool,
        allow: [String],
        context: ChannelHandlerContext
    ) -> EventLoopFuture<Void> {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "cache-control", value: "no-store")
        headers.add(name: "x-request-id", value: requestID)
        if !allow.isEmpty { headers.add(name: "allow", value: allow.joined(separator: ", ")) }
        Self.setConnectionHeader(&headers, keepAlive: keepAlive, version: version)
        let status = HTTPResponseStatus(statusCode: kind.status)
        self.writeResponseHead(HTTPResponseHead(version: version, status: status, headers: headers), answering: method, context: context)
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        self.writeResponseBody(buffer, context: context)
        return self.writeResponseEnd(nil, context: context, awaited: true)!
    }

    // MARK: writing (bytes framed by `responseEncoder`)

    func writeResponseHead(_ head: HTTPResponseHead, answering method: HTTPMethod?, context: ChannelHandlerContext) {
        let bytes = self.responseEncoder.encodeHead(head, answering: method, allocator: context.channel.allocator)
        context.write(Self.wrapOutboundOut(bytes), promise: nil)
    }

    func writeResponseBody(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        self.responseEncoder.encodeBody(buffer, allocator: context.channel.allocator) { bytes in
            context.write(Self.wrapOutboundOut(bytes), promise: nil)
        }
    }

    /// Writes the end of the response and flushes; with `awaited`, returns when the last byte
    /// is written (an empty write completes it in order when there is nothing to end).
    @discardableResult
    func writeResponseEnd(_ trailers: HTTPHeaders?, context: ChannelHandlerContext, awaited: Bool) -> EventLoopFuture<Void>? {
        let promise = awaited ? context.eventLoop.makePromise(of: Void.self) : nil
        if let bytes = self.responseEncoder.encodeEnd(trailers, allocator: context.channel.allocator) {
            context.write(Self.wrapOutboundOut(bytes), promise: promise)
        } else if let promise {
            context.write(Self.wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: promise)
        }
        context.flush()
        return promise?.futureResult
    }

    /// Whether the connection closes once `exchange` is finished (so its last write must be
    /// awaited), rather than waiting for the next request.
    func willCloseAfterExchange(_ exchange: ProxyExchange) -> Bool {
        !(exchange.keepAlive && !self.draining && self.phase == .ready)
    }

    /// The request end arrived after the gateway already answered it.
    func finishRejected() {
        self.exchangeFinished(after: nil)
    }

    /// Ends the exchange: the connection waits for the next request, or closes once the last
    /// write is out (a close before that would cut the response).
    func exchangeFinished(after written: EventLoopFuture<Void>?) {
        guard let exchange = self.exchange else { return }
        self.exchange = nil
        self.requestsServed += 1
        if !self.willCloseAfterExchange(exchange) {
            self.resumeReading()
            self.armWaitTimer(firstRequest: false)
            self.replayHeldParts()
            return
        }
        guard let context = self.context, self.phase != .closing else { return }
        self.phase = .closing
        if let written {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }

    /// The client went away mid-exchange: drop the upstream connection (it holds a half-done
    /// exchange) and log what happened (status 499 if nothing was answered, as nginx does).
    func abandonExchange(reason: String) {
        guard let exchange = self.exchange else { return }
        self.responseTimer?.disarm()
        if let upstream = exchange.upstream {
            upstream.handler.receiver = nil
            upstream.channel.close(promise: nil)
            exchange.upstream = nil
        }
        if exchange.phase != .done && !(exchange.phase == .rejected) {
            if !exchange.responseStarted { exchange.responseStatus = 499 }
            exchange.errorCode = exchange.errorCode ?? reason
            self.exchange = exchange
            self.logExchange()
        }
        self.exchange = nil
    }

    // MARK: log

    /// Writes the access-log record and metrics of the current exchange.
    func logExchange() {
        guard let exchange = self.exchange else { return }
        let now = NIODeadline.now()
        let duration = Double((now - exchange.startedAt).nanoseconds) / 1e6
        let upstreamMS = exchange.upstreamStartedAt.map { start in
            Double(((exchange.upstreamHeadAt ?? now) - start).nanoseconds) / 1e6
        }
        let upstreamAddress = exchange.upstream.flatMap { exchange.cluster?.serverAddresses[$0.serverIndex] }
        let record = self.accessLogRecord(
            time: Date(timeIntervalSince1970: exchange.startedWall),
            requestID: exchange.requestID,
            head: exchange.head,
            route: exchange.route?.name,
            upstream: exchange.cluster?.configuration.name,
            upstreamAddress: upstreamAddress ?? self.lastUpstreamAddress(exchange),
            status: exchange.responseStatus,
            bytesReceived: exchange.bytesReceived,
            bytesSent: exchange.bytesSent,
            durationMS: duration,
            upstreamMS: upstreamMS,
            error: exchange.errorCode
        )
        self.shared.accessLog.log(.request(record))
        let route = exchange.route?.name
        let metrics: GatewayMetrics.RequestMetrics
        if let cached = self.requestMetrics, cached.route == route, cached.status == exchange.responseStatus {
            metrics = cached
        } else {
            metrics = self.shared.metrics.requestMetrics(route: route, status: exchange.responseStatus)
            self.requestMetrics = metrics
        }
        metrics.record(durationSeconds: duration / 1000)
    }

    private func lastUpstreamAddress(_ exchange: ProxyExchange) -> String? {
        guard let cluster = exchange.cluster, exchange.attempt > 0, exchange.attempt <= exchange.serverOrder.count else { return nil }
        return cluster.serverAddresses[exchange.serverOrder[exchange.attempt - 1]]
    }

    /// A gateway error that no parsed request belongs to (408, unparseable request).
    private func logConnectionError(_ kind: ProxyErrorKind, requestID: String, bytesSent: Int) {
        let record = self.accessLogRecord(
            time: Date(),
            requestID: requestID,
            head: nil,
            route: nil,
            upstream: nil,
            upstreamAddress: nil,
            status: kind.status,
            bytesReceived: 0,
            bytesSent: bytesSent,
            durationMS: 0,
            upstreamMS: nil,
            error: kind.rawValue
        )
        self.shared.accessLog.log(.request(record))
        self.shared.metrics.requestCompleted(route: nil, status: kind.status, durationSeconds: 0)
    }

    /// One access-log record: the connection's TLS and identity fields plus the request's.
    private func accessLogRecord(
        time: Date,
        requestID: String,
        head: HTTPRequestHead?,
        route: String?,
        upstream: String?,
        upstreamAddress: String?,
        status: Int,
        bytesReceived: Int,
        bytesSent: Int,
        durationMS: Double,
        upstreamMS: Double?,
        error: String?
    ) -> AccessLogRecord {
        let identity = self.identity
        return AccessLogRecord(
            time: time,
            requestID: requestID,
            downstreamAddress: self.downstreamAddress,
            sni: self.tls.sni,
            tlsVersion: self.tlsVersion,
            tlsResumed: self.tlsResumed,
            clientVerify: identity == nil ? "NONE" : "SUCCESS",
            identity: identity?.logFields ?? .none,
            method: head?.method.rawValue ?? "-",
            host: head?.headers.first(name: "host"),
            path: head.map { String($0.uri.prefix { $0 != "?" }) } ?? "-",
            protocol: head.map { Self.protocolName($0.version) } ?? "HTTP/1.1",
            route: route,
            upstream: upstream,
            upstreamAddress: upstreamAddress,
            status: status,
            bytesReceived: bytesReceived,
            bytesSent: bytesSent,
            durationMS: durationMS,
            upstreamMS: upstreamMS,
            error: error,
            // Written by the combined format only: not looked up for JSON logs.
            referer: self.shared.accessLog.format == .combined ? head?.headers.first(name: "referer") : nil,
            userAgent: self.shared.accessLog.format == .combined ? head?.headers.first(name: "user-agent") : nil
        )
    }

    /// The log's `protocol`: constant strings for the usual versions (`HTTPVersion.description`
    /// formats one per request).
    static func protocolName(_ version: HTTPVersion) -> String {
        switch (version.major, version.minor) {
        case (1, 1): return "HTTP/1.1"
        case (1, 0): return "HTTP/1.0"
        default: return version.description
        }
    }

    /// One `tls_handshake_failed` event per failed handshake, with peer, SNI and reason.
    func logHandshakeFailure(reason: String) {
        self.shared.metrics.handshake(outcome: "failure", reason: reason)
        self.shared.accessLog.log(
            .handshakeFailed(
                HandshakeFailureRecord(
                    time: Date(),
                    downstreamAddress: self.downstreamAddress,
                    sni: self.tls.sni,
                    reason: reason,
                    listener: self.shared.listener.name
                )
            )
        )
    }
}

import struct Foundation.Date
