import NIOCore
import NIOHTTP1

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
    weak var receiver: (any UpstreamResponseReceiver)?
    /// Called once when the channel closes (the pool forgets the connection).
    var onClose: (() -> Void)?

    private var readPaused = false
    private var readPending = false
    private var context: ChannelHandlerContext?

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

    func channelInactive(context: ChannelHandlerContext) {
        if let receiver = self.receiver {
            self.receiver = nil
            receiver.upstreamFailed(ChannelError.eof)
        }
        self.onClose?()
        self.onClose = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
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
        if self.readPaused {
            self.readPending = true
        } else {
            context.read()
        }
    }

    /// Stops reading from the upstream until `resumeReading()`.
    func pauseReading() {
        self.readPaused = true
    }

    /// Resumes reading, issuing a read that was held back.
    func resumeReading() {
        self.readPaused = false
        if self.readPending, let context = self.context {
            self.readPending = false
            context.read()
        }
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
