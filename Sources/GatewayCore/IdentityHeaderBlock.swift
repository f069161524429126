/// A connection's identity headers as the bytes they take on the wire (`name: value` CRLF, once
/// per header, no final empty line), serialised once per validated chain instead of per request.
///
/// Why: the identity headers are ~4 KiB of base64 and DNs that are the same for every request on
/// the connection; copying them into each request's header list and encoding them field by field
/// was a measurable share of the proxy's CPU. The upstream encoder appends these bytes after the
/// request's own headers, where ``HeaderPolicy/prepareUpstreamRequest(_:context:)`` put them
/// before (last, so nothing inbound can shadow them).
///
/// No re-validation on the hot path: names are constants (``IdentityHeaderNames``) and values are
/// escaped by ``IdentityHeaderBuilder`` (base64, RFC 4514 / escaped DNs), so no CR, LF, NUL or
/// other control byte can reach the block; tests assert it for every profile.
public enum IdentityHeaderBlock {
    /// The wire bytes of `headers`, in order.
    public static func serialize(_ headers: [(name: String, value: String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
        for header in headers {
            assert(Self.isFieldSafe(header.name) && Self.isFieldSafe(header.value), "identity header \(header.name) has a control byte")
            bytes.append(contentsOf: header.name.utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: header.value.utf8)
            bytes.append(UInt8(ascii: "\r"))
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// The headers of a block made by ``serialize(_:)``, in order.
    public static func parse(_ block: [UInt8]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var lineStart = 0
        var index = 0
        while index + 1 < block.count {
            guard block[index] == UInt8(ascii: "\r"), block[index + 1] == UInt8(ascii: "\n") else {
                index += 1
                continue
            }
            let line = block[lineStart..<index]
            if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let valueStart = min(colon + 2, index)
                headers.append((String(decoding: line[lineStart..<colon], as: UTF8.self), String(decoding: block[valueStart..<index], as: UTF8.self)))
            }
            index += 2
            lineStart = index
        }
        return headers
    }

    /// Whether `text` has none of the bytes RFC 9110 §5.5 forbids in a field (see
    /// ``HeaderPolicy/prepareUpstreamRequest(_:context:)`` rule 1).
    static func isFieldSafe(_ text: String) -> Bool {
        !HeaderPolicy.containsForbiddenByte(text)
    }
}
