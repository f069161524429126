import NIOCore
import NIOHTTP1

/// Serialises the request parts sent to an upstream, in place of NIO's `HTTPRequestEncoder`.
///
/// Why our own: every request carries the connection's identity headers (~4 KiB of base64 and
/// DNs), the same bytes each time. They are serialised once per validated chain
/// (`ConnectionIdentity.headerBlock`) and appended here with one copy, instead of being copied
/// into each request's `HTTPHeaders` and written field by field. The request's own headers are
/// written as NIO writes them.
///
/// Body framing is NIO's, unchanged (`HTTPEncoder.swift`, `correctlyFrameTransportHeaders`):
/// a Content-Length is passed through (and any Transfer-Encoding beside it dropped); a POST, PUT
/// or PATCH without one is sent chunked; other methods are chunked only when the request says
/// `Transfer-Encoding: chunked`; TRACE never has a body. Chunks and trailers are written as NIO
/// writes them, so streaming, 100-continue and trailers behave exactly as before.
///
/// No outbound header check: see `EventLoopUpstreamPool.connect` (the values were checked by
/// `HeaderPolicy`, the identity block by construction).
final class UpstreamRequestEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    // Stays NIO's part type: the response decoder after us observes the request heads (it must
    // know which responses answer a HEAD), and it expects exactly this type.
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = IOData

    /// Appended to the next head after its headers; set by `UpstreamHandler.writeHead` just before
    /// the head is written (writes pass the pipeline synchronously on the loop), then cleared.
    var nextHeadSuffix: [UInt8] = []
    private var isChunked = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .head(var head):
            self.isChunked = Self.frame(&head)
            let suffix = self.nextHeadSuffix
            self.nextHeadSuffix = []
            var buffer = context.channel.allocator.buffer(capacity: 512 + suffix.count)
            buffer.writeString(head.method.rawValue)
            buffer.writeInteger(UInt8(ascii: " "))
            buffer.writeString(head.uri)
            if head.version == .http1_1 {
                buffer.writeStaticString(" HTTP/1.1\r\n")
            } else {
                buffer.writeString(" HTTP/\(head.version.major).\(head.version.minor)\r\n")
            }
            buffer.writeHeaderFields(head.headers)
            buffer.writeBytes(suffix)
            buffer.writeStaticString("\r\n")
            context.write(Self.wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        case .body(let chunk):
            self.writeBody(chunk, context: context, promise: promise)
        case .end(let trailers):
            self.writeEnd(trailers, context: context, promise: promise)
        }
    }

    /// NIO's framing rules for a request head (see the type's comment); whether the body is chunked.
    static func frame(_ head: inout HTTPRequestHead) -> Bool {
        let supportsChunked = head.version.major == 1 && head.version.minor >= 1
        switch head.method {
        case .TRACE:
            head.headers.remove(name: "content-length")
            head.headers.remove(name: "transfer-encoding")
            return false
        case .POST, .PUT, .PATCH:
            if head.headers.contains(name: "content-length") {
                head.headers.remove(name: "transfer-encoding")
                return false
            }
            guard supportsChunked else { return false }
            head.headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            return true
        default:
            if head.headers.contains(name: "content-length") {
                head.headers.remove(name: "transfer-encoding")
                return false
            }
            return supportsChunked && head.headers["transfer-encoding"].first == "chunked"
        }
    }

    /// As NIO: a chunk is framed in three writes (size line, data, CRLF) so the data is not copied;
    /// empty chunks are not framed (they would end the body).
    private func writeBody(_ chunk: IOData, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let size = chunk.readableBytes
        guard self.isChunked && size > 0 else {
            context.write(Self.wrapOutboundOut(chunk), promise: promise)
            return
        }
        var promises: (EventLoopPromise<Void>?, EventLoopPromise<Void>?, EventLoopPromise<Void>?) = (nil, nil, nil)
        if let promise {
            let all = (context.eventLoop.makePromise(of: Void.self), context.eventLoop.makePromise(of: Void.self), context.eventLoop.makePromise(of: Void.self))
            all.0.futureResult.and(all.1.futureResult).and(all.2.futureResult).map { _ in }.cascade(to: promise)
            promises = (all.0, all.1, all.2)
        }
        var line = context.channel.allocator.buffer(capacity: 32)
        line.writeString(String(size, radix: 16))
        line.writeStaticString("\r\n")
        context.write(Self.wrapOutboundOut(.byteBuffer(line)), promise: promises.0)
        context.write(Self.wrapOutboundOut(chunk), promise: promises.1)
        line.moveReaderIndex(forwardBy: line.readableBytes - 2)
        context.write(Self.wrapOutboundOut(.byteBuffer(line)), promise: promises.2)
    }

    private func writeEnd(_ trailers: HTTPHeaders?, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard self.isChunked else {
            // Nothing to write; a promise is completed in order behind the writes before it.
            if let promise {
                context.write(Self.wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(capacity: 0))), promise: promise)
            }
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: trailers == nil ? 8 : 256)
        buffer.writeStaticString("0\r\n")
        if let trailers { buffer.writeHeaderFields(trailers) }
        buffer.writeStaticString("\r\n")
        context.write(Self.wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
    }
}
