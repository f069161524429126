import GatewayCore
import NIOCore
import NIOHTTP1

/// Forward → respond: the upstream side of an exchange.
extension DownstreamHandler: UpstreamResponseReceiver {
    /// Gets a connection to the next server to try: an idle pooled one, else a new one.
    func connectUpstream() {
        guard let context = self.context, let exchange = self.exchange, let cluster = exchange.cluster else { return }
        guard exchange.attempt < exchange.serverOrder.count else {
            self.reject(exchange.errorCode == ProxyErrorKind.upstreamConnectTimeout.rawValue ? .upstreamConnectTimeout : .upstreamConnectFailed, allow: [])
            return
        }
        let serverIndex = exchange.serverOrder[exchange.attempt]
        exchange.attempt += 1
        exchange.phase = .connecting
        exchange.upstreamStartedAt = exchange.upstreamStartedAt ?? .now()
        self.exchange = exchange
        guard let pool = cluster.pool(on: context.eventLoop) else {
            self.reject(.internalError, allow: [])
            return
        }
        // After a stale pooled connection failed, the retry always gets a fresh connection.
        if !exchange.retriedStale, let connection = pool.takeIdle(serverIndex: serverIndex) {
            self.attach(connection, pool: pool)
            return
        }
        let exchangeID = exchange.id
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        pool.connect(serverIndex: serverIndex).whenComplete { result in
            let this = loopBound.value
            guard let current = this.exchange, current.id == exchangeID, current.phase == .connecting else {
                // The client left (or the exchange failed) while we connected: keep the
                // connection for someone else.
                if case .success(let connection) = result { pool.release(connection) }
                return
            }
            switch result {
            case .success(let connection):
                this.attach(connection, pool: pool)
            case .failure(let error):
                let timedOut = (error as? ChannelError).map { if case .connectTimeout = $0 { return true } else { return false } } ?? false
                cluster.servers[serverIndex].markDown(now: .now())
                this.shared.metrics.upstreamFailure(
                    upstream: cluster.configuration.name,
                    kind: timedOut ? "connect_timeout" : "connect_failed"
                )
                this.shared.logger.warning(
                    "upstream connect failed",
                    metadata: [
                        "upstream": "\(cluster.configuration.name)",
                        "server": "\(cluster.configuration.servers[serverIndex])",
                        "error": "\(error)",
                    ]
                )
                this.exchange?.errorCode = (timedOut ? ProxyErrorKind.upstreamConnectTimeout : .upstreamConnectFailed).rawValue
                this.connectUpstream()
            }
        }
    }

    private func attach(_ connection: UpstreamConnection, pool: EventLoopUpstreamPool) {
        guard let exchange = self.exchange, var head = exchange.upstreamHead, let cluster = exchange.cluster else {
            pool.release(connection)
            return
        }
        cluster.servers[connection.serverIndex].markUp()
        connection.handler.receiver = self
        exchange.upstream = connection
        exchange.phase = .forwarding
        exchange.errorCode = nil
        if exchange.route?.preserveHost == false {
            head.headers.replaceOrAdd(name: "host", value: cluster.hostHeaders[connection.serverIndex])
        }
        let handler = connection.handler
        handler.writeHead(head, identityBlock: self.identityHeaderBlock, promise: nil)
        if exchange.expectsContinue && !exchange.requestComplete {
            // RFC 9110 §10.1.1: the client may now send the body.
            if let context = self.context {
                self.writeResponseHead(HTTPResponseHead(version: exchange.head.version, status: .continue), answering: exchange.head.method, context: context)
                context.flush()
            }
        }
        for buffer in exchange.pendingBody {
            handler.write(.body(.byteBuffer(buffer)), promise: nil)
        }
        exchange.pendingBody = []
        let endNow = exchange.pendingEnd
        if endNow {
            handler.write(.end(exchange.pendingTrailers), promise: nil)
            exchange.requestEndForwarded = true
            exchange.pendingEnd = false
        }
        self.exchange = exchange
        handler.flush()
        if endNow { self.armResponseTimer() }
        if connection.channel.isWritable { self.resumeReading() } else { self.pauseReading() }
    }

    /// `response_timeout` (route, else upstream): from the end of the request to the response head.
    func armResponseTimer() {
        guard let exchange = self.exchange, !exchange.responseStarted else { return }
        let timeout = exchange.route?.responseTimeout ?? exchange.cluster?.configuration.responseTimeout ?? .seconds(60)
        self.responseTimerExchangeID = exchange.id
        self.responseTimer?.arm(in: TimeAmount(timeout))
    }

    func responseTimerExpired() {
        guard let exchange = self.exchange, exchange.id == self.responseTimerExchangeID, !exchange.responseStarted else { return }
        if let upstream = exchange.upstream {
            upstream.handler.receiver = nil
            upstream.channel.close(promise: nil)
            exchange.upstream = nil
        }
        if let name = exchange.cluster?.configuration.name {
            self.shared.metrics.upstreamFailure(upstream: name, kind: "timeout")
        }
        self.reject(.upstreamTimeout, allow: [])
    }

    // MARK: UpstreamResponseReceiver

    func upstreamResponseHead(_ head: HTTPResponseHead) {
        guard let exchange = self.exchange, let context = self.context else { return }
        self.responseTimer?.disarm()
        var response = HTTPResponseHead(version: exchange.head.version, status: head.status, headers: head.headers)
        do {
            try HeaderPolicy.prepareDownstreamResponse(&response.headers, requestID: exchange.requestID)
        } catch {
            // A header no client may be sent (RFC 9110 §5.5): the response is the upstream's
            // fault, answered as nginx answers "upstream sent invalid header" (502).
            exchange.upstreamHeadAt = .now()
            self.shared.metrics.upstreamFailure(upstream: exchange.cluster?.configuration.name ?? "-", kind: "bad_response")
            self.reject(.upstreamBadResponse, allow: [])
            return
        }
        exchange.responseStarted = true
        exchange.responseStatus = Int(head.status.code)
        exchange.upstreamHeadAt = .now()
        exchange.upstreamKeepAlive = head.isKeepAlive
        let bodyless = exchange.head.method == .HEAD || head.status.code == 204 || head.status.code == 304
        if exchange.head.version.major == 1 && exchange.head.version.minor == 0 {
            // HTTP/1.0 clients never get chunked framing: without a length the body ends at close.
            if !response.headers.contains(name: "content-length") && !bodyless {
                response.headers.remove(name: "transfer-encoding")
                exchange.keepAlive = false
            }
        }
        if !exchange.requestComplete && !exchange.requestHasNoBody {
            // An early response (say 401 before the upload ended): the rest of the upload will
            // not be read, so this connection cannot carry another request.
            exchange.keepAlive = false
        }
        if self.draining { exchange.keepAlive = false }
        Self.setConnectionHeader(&response.headers, keepAlive: exchange.keepAlive, version: exchange.head.version)
        self.exchange = exchange
        self.writeResponseHead(response, answering: exchange.head.method, context: context)
    }

    func upstreamResponseBody(_ buffer: ByteBuffer) {
        guard let context = self.context else { return }
        self.exchange?.bytesSent += buffer.readableBytes
        self.writeResponseBody(buffer, context: context)
        if !context.channel.isWritable {
            self.exchange?.upstream?.handler.pauseReading()
        }
    }

    func upstreamReadComplete() {
        self.context?.flush()
    }

    func upstreamResponseEnd(_ trailers: HTTPHeaders?) {
        guard let exchange = self.exchange, let context = self.context else { return }
        if let trailers, (try? HeaderPolicy.validateTrailers(trailers)) == nil {
            // A trailer no client may be sent (RFC 9110 §5.5; the head's fields are checked in
            // `prepareDownstreamResponse`). The head and body are out: cut the response off, as
            // for an upstream that fails mid-response.
            self.shared.metrics.upstreamFailure(upstream: exchange.cluster?.configuration.name ?? "-", kind: "bad_response")
            exchange.errorCode = ProxyErrorKind.upstreamBadResponse.rawValue
            if let upstream = exchange.upstream {
                exchange.upstream = nil
                upstream.handler.receiver = nil
                upstream.channel.close(promise: nil)
            }
            self.logExchange()
            self.exchange = nil
            self.closeConnection()
            return
        }
        exchange.phase = .done
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.handler.receiver = nil
            if exchange.upstreamKeepAlive && exchange.requestEndForwarded, let pool = exchange.cluster?.pool(on: context.eventLoop) {
                pool.release(upstream)
            } else {
                upstream.channel.close(promise: nil)
            }
        }
        self.exchange = exchange
        // Logged before the last byte leaves: a client that has its answer finds its log line.
        self.logExchange()
        // Unless the request is complete (or the connection closes anyway), the rest of its body
        // is read and discarded first; `requestEnd` then finishes the exchange.
        let finishesNow = exchange.requestComplete || !exchange.keepAlive
        guard finishesNow && self.willCloseAfterExchange(exchange) else {
            // Nothing waits for this write, so no promise (and no empty write to complete one
            // in order).
            self.writeResponseEnd(trailers, context: context, awaited: false)
            if finishesNow { self.exchangeFinished(after: nil) }
            return
        }
        let written = self.writeResponseEnd(trailers, context: context, awaited: true)
        self.exchangeFinished(after: written)
    }

    func upstreamFailed(_ error: any Error) {
        guard let exchange = self.exchange else { return }
        self.responseTimer?.disarm()
        let connection = exchange.upstream
        exchange.upstream = nil
        connection?.channel.close(promise: nil)
        let upstreamName = exchange.cluster?.configuration.name ?? "-"
        if exchange.responseStarted {
            // Too late for an error response: cut the client off so it sees a truncated body.
            exchange.errorCode = ProxyErrorKind.upstreamReset.rawValue
            self.exchange = exchange
            self.shared.metrics.upstreamFailure(upstream: upstreamName, kind: "reset_during_response")
            self.logExchange()
            self.closeConnection()
            return
        }
        // A pooled connection the server closed while idle fails on first use: retry once on a
        // fresh connection (the rules are in `mayRetryOnFreshConnection`).
        if let connection, UpstreamHandler.mayRetryOnFreshConnection(
            after: error,
            method: exchange.head.method,
            connectionRequestsServed: connection.requestsServed,
            bodyBytesSent: exchange.bytesReceived,
            alreadyRetried: exchange.retriedStale
        ) {
            exchange.retriedStale = true
            exchange.attempt -= 1
            exchange.phase = .connecting
            // The request end went to the dead connection: the fresh one needs it too (and then
            // arms the response timer again).
            if exchange.requestEndForwarded {
                exchange.requestEndForwarded = false
                exchange.pendingEnd = true
            }
            self.exchange = exchange
            self.connectUpstream()
            return
        }
        self.exchange = exchange
        let kind = UpstreamHandler.failureKind(for: error)
        self.shared.metrics.upstreamFailure(upstream: upstreamName, kind: kind == .upstreamBadResponse ? "bad_response" : "reset")
        self.reject(kind, allow: [])
    }

    func upstreamWritabilityChanged(isWritable: Bool) {
        if isWritable { self.resumeReading() } else { self.pauseReading() }
    }

    /// Sets `Connection` for the downstream response (RFC 9112 §9.3): HTTP/1.0 keep-alive is
    /// explicit, HTTP/1.1 only announces a close.
    static func setConnectionHeader(_ headers: inout HTTPHeaders, keepAlive: Bool, version: HTTPVersion) {
        headers.remove(name: "connection")
        if keepAlive {
            if version.major == 1 && version.minor == 0 { headers.add(name: "connection", value: "keep-alive") }
        } else {
            headers.add(name: "connection", value: "close")
        }
    }
}
