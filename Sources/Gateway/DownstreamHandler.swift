import GatewayCore
import Logging
import MTLSIdentity
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS
import X509

/// The per-connection proxy: handshake → identify → route → sanitize → forward → respond → log.
///
/// Connection-level concerns live here (TLS events, identity, timers, read gating, drain); the
/// request phases are in the `+Request`, `+Upstream` and `+Respond` extensions. Decisions are
/// made by pure functions in GatewayCore (`RequestAdmission`, `HeaderPolicy`, `ProxyErrorKind`);
/// this type carries them out.
final class DownstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    // Responses leave as bytes: `DownstreamResponseEncoder` frames them (no NIO encoder below).
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum ConnectionPhase {
        case handshaking
        /// A resumed TLS session whose certificate is being validated again.
        case identifying
        case ready
        case closing
    }

    let shared: ListenerContext
    let tls: ConnectionTLSState
    var context: ChannelHandlerContext?

    var phase: ConnectionPhase = .handshaking
    /// The verified client's headers and log fields (shared by its connections); nil without a
    /// certificate.
    var identity: ConnectionIdentity?
    /// The identity headers as wire bytes, appended to every upstream request head (shared with
    /// `identity`, not copied).
    var identityHeaderBlock: [UInt8] = []
    var tlsVersion: String?
    var tlsResumed = false
    var downstreamAddress = "-"
    var downstreamIP = ""
    var downstreamTrusted = false
    var localPort: Int?
    /// Per-connection forwarding values (the same for every request on the connection; the
    /// `Forwarded` element for the last `Host` seen, which rarely changes on a connection).
    var localPortText: String?
    var forwardedElementCache: (host: String?, element: String)?
    /// The request metrics of the last (route, status): reused while they repeat.
    var requestMetrics: GatewayMetrics.RequestMetrics?
    var heldParts: [HTTPServerRequestPart] = []

    var exchange: ProxyExchange?
    var nextExchangeID: UInt64 = 0
    var requestsServed = 0
    var draining = false

    var handshakeTimer: Scheduled<Void>?
    /// The wait for the next request head (`request_header_timeout`, then `idle_timeout`).
    var waitTimer: DeadlineTimer?
    /// Whether `waitTimer` waits for the connection's first request (408) or a keep-alive one.
    var waitingForFirstRequest = true
    /// `response_timeout` of the current exchange, and the exchange it was armed for.
    var responseTimer: DeadlineTimer?
    var responseTimerExchangeID: UInt64 = 0

    var readGate = ReadGate()
    var upstreamNeedsFlush = false
    var responseEncoder = DownstreamResponseEncoder()

    init(shared: ListenerContext, tls: ConnectionTLSState) {
        self.shared = shared
        self.tls = tls
    }

    // MARK: lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // `unowned`, not `weak`: a weak reference would give this handler a refcount side table,
        // which slows every retain and release of it. Safe because the timers are cancelled in
        // `channelInactive` and `handlerRemoved`, before this handler can go away.
        self.waitTimer = DeadlineTimer(eventLoop: context.eventLoop) { [unowned self] in self.waitTimerExpired() }
        self.responseTimer = DeadlineTimer(eventLoop: context.eventLoop) { [unowned self] in self.responseTimerExpired() }
        if context.channel.isActive { self.connectionBecameActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelTimers()
        self.context = nil
    }

    private func cancelTimers() {
        self.handshakeTimer?.cancel()
        self.handshakeTimer = nil
        self.waitTimer?.cancel()
        self.responseTimer?.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        self.connectionBecameActive(context: context)
        context.fireChannelActive()
    }

    private func connectionBecameActive(context: ChannelHandlerContext) {
        guard self.handshakeTimer == nil, self.phase == .handshaking else { return }
        if let remote = context.channel.remoteAddress {
            self.downstreamIP = remote.ipAddress ?? ""
            self.downstreamAddress = remote.formattedForLog
            self.downstreamTrusted = self.shared.isTrustedDownstream(ip: self.downstreamIP)
        }
        self.localPort = context.channel.localAddress?.port
        self.localPortText = self.localPort.map { String($0) }
        let timeout = TimeAmount(self.shared.settings.handshakeTimeout)
        // `unowned`: see `handlerAdded`; cancelled in `cancelTimers`.
        self.handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [unowned self] in
            guard self.phase == .handshaking, let context = self.context else { return }
            self.logHandshakeFailure(reason: "handshake_timeout")
            self.phase = .closing
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelTimers()
        if self.phase == .handshaking {
            self.logHandshakeFailure(reason: self.tls.failure?.rawValue ?? "connection_closed_during_handshake")
        }
        self.phase = .closing
        self.abandonExchange(reason: "downstream_closed")
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            self.handshakeCompleted(context: context)
        } else if event is ChannelShouldQuiesceEvent {
            self.draining = true
            if self.exchange == nil { self.closeConnection() }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch self.phase {
        case .handshaking:
            self.logHandshakeFailure(reason: ClientVerification.reason(for: error, state: self.tls))
            self.handshakeTimer?.cancel()
            self.phase = .closing
            context.close(promise: nil)
        case .identifying, .ready:
            if let parserError = error as? HTTPParserError {
                self.requestParsingFailed(parserError)
            } else {
                self.phase = .closing
                context.close(promise: nil)
            }
        case .closing:
            break
        }
    }

    // MARK: identity

    private func handshakeCompleted(context: ChannelHandlerContext) {
        self.handshakeTimer?.cancel()
        self.handshakeTimer = nil
        let sslHandler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
        self.tlsVersion = sslHandler?.tlsVersion.map(Self.describe)
        if let chain = self.tls.takeValidatedChain() {
            self.establish(chain: chain, resumed: false)
            return
        }
        guard let peer = sslHandler?.peerCertificate else {
            // No certificate on this connection (`optional` / `none` listener): no identity.
            self.establish(chain: nil, resumed: false)
            return
        }
        // A resumed session: BoringSSL skipped the verification callback, so the certificate it
        // remembers has not been checked against *today's* policy (expiry, roots). Validate it
        // again before any request is served; requests wait in `heldParts` meanwhile.
        self.phase = .identifying
        self.tlsResumed = true
        let validator = self.shared.validator
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        let der: [UInt8]
        do { der = try peer.toDERBytes() } catch {
            self.resumedValidationFailed(reason: ClientCertificateFailure.unparseable.rawValue)
            return
        }
        Task {
            let result: ClientCertificateValidation
            do {
                let leaf = try Certificate(derEncoded: der)
                result = await validator.validate(presented: [leaf])
            } catch {
                result = .invalid(.unparseable)
            }
            loop.execute {
                let this = handler.value
                guard this.phase == .identifying else { return }
                switch result {
                case .valid(let chain): this.establish(chain: chain, resumed: true)
                case .invalid(let reason): this.resumedValidationFailed(reason: reason.rawValue)
                }
            }
        }
    }

    private func establish(chain: [Certificate]?, resumed: Bool) {
        if let chain {
            do {
                self.identity = try self.shared.identities.identity(for: chain) { try ClientIdentity(validatedChain: $0) }
            } catch {
                self.resumedValidationFailed(reason: ClientCertificateFailure.unparseable.rawValue)
                return
            }
        }
        self.identityHeaderBlock = self.identity?.headerBlock ?? self.shared.anonymousIdentityHeaderBlock
        self.shared.metrics.handshake(outcome: resumed ? "resumed" : "success", reason: nil)
        self.phase = .ready
        self.armWaitTimer(firstRequest: true)
        self.replayHeldParts()
    }

    /// Handles request parts that arrived while identity was pending or a previous exchange was
    /// still answering, stopping again as soon as a new request is complete.
    func replayHeldParts() {
        while !self.heldParts.isEmpty, self.phase == .ready {
            if let exchange = self.exchange, exchange.requestComplete { return }
            let part = self.heldParts.removeFirst()
            self.handle(part)
        }
    }

    private func resumedValidationFailed(reason: String) {
        self.logHandshakeFailure(reason: "resumed_session_\(reason)")
        self.closeConnection()
    }

    private static func describe(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: return "TLSv1"
        case .tlsv11: return "TLSv1.1"
        case .tlsv12: return "TLSv1.2"
        case .tlsv13: return "TLSv1.3"
        }
    }

    // MARK: reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        switch self.phase {
        case .identifying, .handshaking:
            self.heldParts.append(part)
        case .ready:
            if let exchange = self.exchange, exchange.requestComplete || !self.heldParts.isEmpty {
                // A pipelined request (RFC 9112 §9.3.2): hold it until this response is done.
                self.heldParts.append(part)
                self.pauseReading()
            } else {
                self.handle(part)
            }
        case .closing:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.upstreamNeedsFlush {
            self.upstreamNeedsFlush = false
            self.exchange?.upstream?.handler.flush()
        }
        context.fireChannelReadComplete()
    }

    private func handle(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head): self.requestHead(head)
        case .body(let buffer): self.requestBody(buffer)
        case .end(let trailers): self.requestEnd(trailers)
        }
    }

    func read(context: ChannelHandlerContext) {
        self.readGate.read(context: context)
    }

    /// Stops reading the client (upload backpressure, or a request held while another is answered).
    func pauseReading() {
        self.readGate.pause()
    }

    /// Reads the client again.
    func resumeReading() {
        self.readGate.resume(context: self.context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Download backpressure: read the upstream only as fast as the client takes the bytes.
        if let upstream = self.exchange?.upstream {
            if context.channel.isWritable {
                upstream.handler.resumeReading()
            } else {
                upstream.handler.pauseReading()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: timers

    /// Arms the timer for the wait before the next request head: `request_header_timeout` (408)
    /// for a connection's first request, `idle_timeout` (silent close) between keep-alive requests.
    func armWaitTimer(firstRequest: Bool) {
        let settings = self.shared.settings
        self.waitingForFirstRequest = firstRequest
        self.waitTimer?.arm(in: TimeAmount(firstRequest ? settings.requestHeaderTimeout : settings.idleTimeout))
    }

    func waitTimerExpired() {
        guard self.exchange == nil, self.phase == .ready else { return }
        if self.waitingForFirstRequest {
            self.respondWithoutRequest(.requestTimeout)
        } else {
            self.closeConnection()
        }
    }

    func closeConnection() {
        guard self.phase != .closing, let context = self.context else { return }
        self.phase = .closing
        context.close(promise: nil)
    }
}

extension SocketAddress {
    /// "ip:port", with IPv6 in brackets.
    var formattedForLog: String {
        guard let ip = self.ipAddress else { return "-" }
        let port = self.port ?? 0
        if case .v6 = self { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
