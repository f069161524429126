import GatewayCore
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Receives what an upstream connection reads while it serves one exchange.
///
/// Always called on the connection's event loop, which is also the downstream connection's.
protocol UpstreamResponseReceiver: AnyObject {
    func upstreamResponseHead(_ head: HTTPResponseHead)
    func upstreamResponseBody(_ buffer: ByteBuffer)
    func upstreamResponseEnd(_ trailers: HTTPHeaders?)
    /// The end of a read batch: flush what was forwarded (one flush per batch, not per part).
    func upstreamReadComplete()
    /// The connection failed or closed before the response ended.
    func upstreamFailed(_ error: any Error)
    /// The upstream can (not) take more request body bytes right now.
    func upstreamWritabilityChanged(isWritable: Bool)
}

/// The last handler of an upstream connection's pipeline: forwards response parts to the current
/// exchange and gates reads for backpressure.
///
/// Why read gating here: a download must not be read from the upstream faster than the downstream
/// client takes it, or memory grows with the body. When the downstream is not writable the exchange
/// pauses us; NIO's automatic `read()` calls are then held until it resumes us.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// The exchange this connection currently serves; nil while idle in the pool.
    ///
    /// Strong, not weak, on purpose: one weak reference gives the `DownstreamHandler` a refcount
    /// side table, and every retain and release of it then takes the runtime's slow path (~1% of
    /// a proxied request's CPU). The cycle it forms with the exchange is broken on every path
    /// that ends the exchange's use of this connection: the downstream side clears it before it
    /// pools or closes the connection, and `channelInactive` / `errorCaught` here clear it too.
    var receiver: (any UpstreamResponseReceiver)?
    /// Called once when the channel closes, with this handler (the pool forgets the connection).
    var onClose: ((UpstreamHandler) -> Void)?
    /// Completed when the TLS handshake finishes (https upstreams): the pool hands the connection
    /// out only then, so a handshake failure is a connect failure, not a reset mid-request.
    var handshakePromise: EventLoopPromise<Void>?

    private var readGate = ReadGate()
    private var context: ChannelHandlerContext?
    /// The encoder in front of us, which appends the identity block to a head.
    private let encoder: UpstreamRequestEncoder

    init(encoder: UpstreamRequestEncoder) {
        self.encoder = encoder
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let receiver = self.receiver else {
            // Bytes on an idle pooled connection: the upstream broke protocol. Drop it.
            context.close(promise: nil)
            return
        }
        switch Self.unwrapInboundIn(data) {
        case .head(let head): receiver.upstreamResponseHead(head)
        case .body(let buffer): receiver.upstreamResponseBody(buffer)
        case .end(let trailers): receiver.upstreamResponseEnd(trailers)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.receiver?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            self.handshakePromise?.succeed()
            self.handshakePromise = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.handshakePromise?.fail(ChannelError.eof)
        self.handshakePromise = nil
        if let receiver = self.receiver {
            self.receiver = nil
            receiver.upstreamFailed(ChannelError.eof)
        }
        self.onClose?(self)
        self.onClose = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.handshakePromise?.fail(error)
        self.handshakePromise = nil
        if let receiver = self.receiver {
            self.receiver = nil
            receiver.upstreamFailed(error)
        }
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.receiver?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        self.readGate.read(context: context)
    }

    /// Stops reading from the upstream until `resumeReading()`.
    func pauseReading() {
        self.readGate.pause()
    }

    /// Resumes reading, issuing a read that was held back.
    func resumeReading() {
        self.readGate.resume(context: self.context)
    }

    /// Writes a request head followed by `identityBlock` (``IdentityHeaderBlock`` wire bytes).
    func writeHead(_ head: HTTPRequestHead, identityBlock: [UInt8], promise: EventLoopPromise<Void>?) {
        guard let context = self.context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        self.encoder.nextHeadSuffix = identityBlock
        context.write(Self.wrapOutboundOut(.head(head)), promise: promise)
        self.encoder.nextHeadSuffix = []
    }

    /// Writes a request part.
    func write(_ part: HTTPClientRequestPart, promise: EventLoopPromise<Void>?) {
        guard let context = self.context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(Self.wrapOutboundOut(part), promise: promise)
    }

    /// Flushes written parts.
    func flush() {
        self.context?.flush()
    }
}

extension UpstreamHandler {
    /// The gateway's answer to an upstream that failed before sending a complete response head:
    /// bytes that are not HTTP are `upstream_bad_response`, anything else (a close, a reset, a TLS
    /// error) is `upstream_reset`. Both are 502; the code tells operators where to look.
    static func failureKind(for error: any Error) -> ProxyErrorKind {
        error is HTTPParserError ? .upstreamBadResponse : .upstreamReset
    }

    /// Whether a request that failed on a reused keep-alive connection may be sent again on a fresh
    /// connection.
    ///
    /// Why so narrow: a server may close an idle connection just as the gateway reuses it (RFC 9112
    /// §9.5), so the close races the request and says nothing about the request itself. But the
    /// server may also have received and acted on it before closing, so only idempotent methods
    /// are retried (RFC 9110 §9.2.2: "a proxy MUST NOT automatically retry non-idempotent
    /// requests"), only when no body byte was sent (it is not kept for a replay), only once, and
    /// only when the connection was closed: a malformed response proves the server answered.
    static func mayRetryOnFreshConnection(
        after error: any Error,
        method: HTTPMethod,
        connectionRequestsServed: Int,
        bodyBytesSent: Int,
        alreadyRetried: Bool
    ) -> Bool {
        guard connectionRequestsServed > 0, bodyBytesSent == 0, !alreadyRetried else { return false }
        switch method {
        case .GET, .HEAD, .OPTIONS, .TRACE, .PUT, .DELETE: break
        default: return false
        }
        return Self.isConnectionClosed(error)
    }

    /// Whether the error means the server closed or reset the connection.
    static func isConnectionClosed(_ error: any Error) -> Bool {
        switch error {
        case let error as ChannelError:
            switch error {
            case .eof, .ioOnClosedChannel, .outputClosed, .inputClosed, .alreadyClosed: return true
            default: return false
            }
        case let error as IOError:
            return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE
        case let error as NIOSSLError:
            if case .uncleanShutdown = error { return true }
            return false
        default:
            return false
        }
    }
}
