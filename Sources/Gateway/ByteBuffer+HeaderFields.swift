import NIOCore
import NIOHTTP1

extension ByteBuffer {
    /// Writes `name: value` CRLF for each field, as NIO's encoders write them (RFC 9112 §5).
    /// The values are not checked here: `HeaderPolicy` has refused forbidden bytes before.
    mutating func writeHeaderFields(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            self.writeString(name)
            self.writeStaticString(": ")
            self.writeString(value)
            self.writeStaticString("\r\n")
        }
    }
}
