/// An `application/x-www-form-urlencoded` body (RFC 6749 Appendix B, WHATWG URL §5.1), parsed
/// strictly.
///
/// Rules: `+` is a space, `%XX` must be valid hex and the result valid UTF-8; a parameter named
/// twice is an error (RFC 6749 §3.1, §3.2: "MUST NOT be included more than once"), even with the
/// same value, so two components cannot disagree on which one counts; a parameter with an empty
/// value is treated as omitted (RFC 6749 §3.1), which is how an empty `scope=` is accepted.
struct FormParameters: Sendable, Hashable {
    /// Non-empty parameters by name.
    let values: [String: String]

    /// Parses `body`.
    ///
    /// - Throws: `invalid_request` naming the problem.
    init(parsing body: [UInt8]) throws(EndpointError) {
        var values: [String: String] = [:]
        var seen: Set<String> = []
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else {
                throw .invalidRequest("the form body is not valid application/x-www-form-urlencoded")
            }
            guard let value = parts.count == 2 ? Self.decode(parts[1]) : "" else {
                throw .invalidRequest("parameter '\(name)' is not valid application/x-www-form-urlencoded")
            }
            guard seen.insert(name).inserted else {
                throw .invalidRequest("parameter '\(name)' is repeated")
            }
            if !value.isEmpty {
                values[name] = value
            }
        }
        self.values = values
    }

    /// The value of `name`, `nil` when absent or empty.
    subscript(_ name: String) -> String? {
        self.values[name]
    }

    /// Decodes one name or value: `+` → space, `%XX` → byte; `nil` when malformed.
    static func decode(_ encoded: some Collection<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var iterator = encoded.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue),
                    let low = iterator.next().flatMap(Self.hexValue)
                else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
