import NIOCore
import NIOHTTP1

/// Serialises the responses written to a client, in place of NIO's `HTTPResponseEncoder` and
/// `NIOHTTPResponseHeadersValidator` in the downstream pipeline.
///
/// Why our own: with NIO's pair every response part crossed two more handlers, each unwrapping
/// the part from `NIOAny` with a dynamic cast (three parts per response), and the validator
/// scanned every header again although `HeaderPolicy.prepareDownstreamResponse` had already
/// refused the bytes RFC 9110 §5.5 forbids (and the gateway's own headers are constants). Here
/// `DownstreamHandler` writes bytes straight to TLS.
///
/// Framing is NIO's, unchanged (`HTTPEncoder.swift`, `correctlyFrameTransportHeaders`), and a
/// test compares the bytes with NIO's over statuses × request methods × framing headers × body
/// shapes: a status that cannot have a body (1xx, 204, 304) or the answer to a CONNECT loses
/// Content-Length and Transfer-Encoding; a Content-Length is kept (and a Transfer-Encoding beside
/// it dropped); otherwise an HTTP/1.1 response is sent chunked and an HTTP/1.0 one as it is. The
/// answer to a HEAD or CONNECT keeps its head's framing headers but carries no body bytes
/// (RFC 9110 §9.3.2, RFC 9112 §6.3). A non-final 1xx response (100 Continue) leaves the state of
/// the final response that follows it alone.
struct DownstreamResponseEncoder {
    private var isChunked = false
    private var suppressBody = false

    /// The bytes of `head`, framed for a response to a `requestMethod` request (nil: no request
    /// was parsed, e.g. a 400 for an unparseable one).
    mutating func encodeHead(_ head: HTTPResponseHead, answering requestMethod: HTTPMethod?, allocator: ByteBufferAllocator) -> ByteBuffer {
        var head = head
        let code = head.status.code
        let isNonFinalInformational = (100..<200).contains(code) && code != 101
        var answersConnect = false
        if !isNonFinalInformational, let requestMethod {
            self.suppressBody = requestMethod == .HEAD || requestMethod == .CONNECT
            answersConnect = requestMethod == .CONNECT
        }
        let chunked = Self.frame(&head, hasBody: !answersConnect && head.status.mayHaveResponseBody)
        self.isChunked = self.suppressBody ? false : chunked

        var buffer = allocator.buffer(capacity: 256)
        Self.writeStatusLine(of: head, to: &buffer)
        buffer.writeHeaderFields(head.headers)
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// Passes one body part to `write`: as it is, or as a chunk in three writes (size line,
    /// data, CRLF) so the data is not copied; nothing for an empty part when chunked (it would
    /// end the body) or for the answer to a HEAD or CONNECT.
    func encodeBody(_ chunk: ByteBuffer, allocator: ByteBufferAllocator, _ write: (ByteBuffer) -> Void) {
        if self.suppressBody { return }
        let size = chunk.readableBytes
        guard self.isChunked else {
            write(chunk)
            return
        }
        guard size > 0 else { return }
        var line = allocator.buffer(capacity: 32)
        line.writeString(String(size, radix: 16))
        line.writeStaticString("\r\n")
        write(line)
        write(chunk)
        line.moveReaderIndex(forwardBy: line.readableBytes - 2)
        write(line)
    }

    /// The bytes that end the body: the last chunk and trailers when chunked, else nothing.
    mutating func encodeEnd(_ trailers: HTTPHeaders?, allocator: ByteBufferAllocator) -> ByteBuffer? {
        self.suppressBody = false
        guard self.isChunked else { return nil }
        var buffer = allocator.buffer(capacity: trailers == nil ? 8 : 256)
        buffer.writeStaticString("0\r\n")
        if let trailers { buffer.writeHeaderFields(trailers) }
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// NIO's framing rules for a response head (see the type's comment); whether the body is
    /// chunked.
    static func frame(_ head: inout HTTPResponseHead, hasBody: Bool) -> Bool {
        guard hasBody else {
            head.headers.remove(name: "content-length")
            head.headers.remove(name: "transfer-encoding")
            return false
        }
        if head.headers.contains(name: "content-length") {
            head.headers.remove(name: "transfer-encoding")
            return false
        }
        guard head.version.major == 1 && head.version.minor >= 1 else { return false }
        head.headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
        return true
    }

    private static func writeStatusLine(of head: HTTPResponseHead, to buffer: inout ByteBuffer) {
        switch (head.version.major, head.version.minor, head.status) {
        case (1, 1, .ok): buffer.writeStaticString("HTTP/1.1 200 OK\r\n")
        case (1, 0, .ok): buffer.writeStaticString("HTTP/1.0 200 OK\r\n")
        default:
            switch (head.version.major, head.version.minor) {
            case (1, 1): buffer.writeStaticString("HTTP/1.1 ")
            case (1, 0): buffer.writeStaticString("HTTP/1.0 ")
            default:
                buffer.writeStaticString("HTTP/")
                buffer.writeString(String(head.version.major))
                buffer.writeStaticString(".")
                buffer.writeString(String(head.version.minor))
                buffer.writeStaticString(" ")
            }
            buffer.writeString(String(head.status.code))
            buffer.writeStaticString(" ")
            buffer.writeString(head.status.reasonPhrase)
            buffer.writeStaticString("\r\n")
        }
    }
}
