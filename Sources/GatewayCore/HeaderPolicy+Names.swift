import NIOHTTP1

extension HeaderPolicy {
    /// Names of the headers the policy treats specially (identity names are in
    /// ``IdentityHeaderNames``). Output spellings; matching is case-insensitive.
    enum Names {
        static let connection = "Connection"
        static let keepAlive = "Keep-Alive"
        static let proxyConnection = "Proxy-Connection"
        static let te = "TE"
        static let trailer = "Trailer"
        static let upgrade = "Upgrade"
        static let proxyAuthenticate = "Proxy-Authenticate"
        static let proxyAuthorization = "Proxy-Authorization"
        static let host = "Host"
        static let contentLength = "Content-Length"
        static let transferEncoding = "Transfer-Encoding"
        static let forwardedFor = "X-Forwarded-For"
        static let forwardedProto = "X-Forwarded-Proto"
        static let forwardedHost = "X-Forwarded-Host"
        static let forwardedPort = "X-Forwarded-Port"
        static let forwarded = "Forwarded"
        static let realIP = "X-Real-IP"
        static let requestID = "X-Request-Id"
    }

    /// How the policy treats a header name; decided by length first, then an ASCII
    /// case-insensitive compare, so ordinary headers cost a switch and at most two compares.
    enum HeaderKind {
        case hopByHop
        case framing
        case host
        case forwardedFor
        case forwarded
        case forwardedProto
        case forwardedHost
        case forwardedPort
        case realIP
        case requestID
        case other

        init(_ name: String) {
            let utf8 = name.utf8
            func equals(_ candidate: String) -> Bool {
                HeaderPolicy.equalsIgnoringCase(utf8, candidate)
            }
            switch utf8.count {
            case 2 where equals(Names.te): self = .hopByHop
            case 4 where equals(Names.host): self = .host
            case 7 where equals(Names.trailer) || equals(Names.upgrade): self = .hopByHop
            case 9 where equals(Names.forwarded): self = .forwarded
            case 9 where equals(Names.realIP): self = .realIP
            case 10 where equals(Names.connection) || equals(Names.keepAlive): self = .hopByHop
            case 12 where equals(Names.requestID): self = .requestID
            case 14 where equals(Names.contentLength): self = .framing
            case 15 where equals(Names.forwardedFor): self = .forwardedFor
            case 16 where equals(Names.proxyConnection): self = .hopByHop
            case 16 where equals(Names.forwardedHost): self = .forwardedHost
            case 16 where equals(Names.forwardedPort): self = .forwardedPort
            case 17 where equals(Names.forwardedProto): self = .forwardedProto
            case 17 where equals(Names.transferEncoding): self = .framing
            case 18 where equals(Names.proxyAuthenticate): self = .hopByHop
            case 19 where equals(Names.proxyAuthorization): self = .hopByHop
            default: self = .other
            }
        }
    }

    /// ASCII case-insensitive equality without allocating.
    static func equalsIgnoringCase(_ lhs: some Collection<UInt8>, _ rhs: String) -> Bool {
        let rhs = rhs.utf8
        guard lhs.count == rhs.count else { return false }
        // Runs for every header of every request and response: compare through buffer pointers
        // when both sides are contiguous (native strings are), not through generic iterators.
        let fast: Bool?? = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in Self.equalsIgnoringCase(left, right) }
        }
        if let fast, let fast {
            return fast
        }
        for (left, right) in zip(lhs, rhs) where left != right {
            guard Self.lower(left) == Self.lower(right) else { return false }
        }
        return true
    }

    private static func equalsIgnoringCase(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs[index] != rhs[index] {
            guard Self.lower(lhs[index]) == Self.lower(rhs[index]) else { return false }
        }
        return true
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Lower-cased tokens of every `Connection` header, without `close` and `keep-alive` (the
    /// common values: `close` names no header and `Keep-Alive` is dropped anyway), so the usual
    /// request allocates nothing here.
    static func connectionTokens(in headers: HTTPHeaders) -> [String] {
        var tokens: [String] = []
        for (name, value) in headers where name.utf8.count == 10 && Self.equalsIgnoringCase(name.utf8, Names.connection) {
            Self.appendTokens(of: value, to: &tokens)
        }
        return tokens
    }

    private static func appendTokens(of value: String, to tokens: inout [String]) {
        // Every request and response carries a `Connection` header: scan its bytes through a
        // buffer pointer (String.UTF8View index arithmetic showed up at ~1.5% in profiles).
        let scanned: Void? = value.utf8.withContiguousStorageIfAvailable { bytes in
            Self.appendTokens(of: bytes, to: &tokens)
        }
        if scanned == nil {
            Array(value.utf8).withUnsafeBufferPointer { Self.appendTokens(of: $0, to: &tokens) }
        }
    }

    private static func appendTokens(of bytes: UnsafeBufferPointer<UInt8>, to tokens: inout [String]) {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            var tokenStart = start
            var tokenEnd = end
            while tokenStart < tokenEnd, Self.isOWS(bytes[tokenStart]) { tokenStart += 1 }
            while tokenEnd > tokenStart, Self.isOWS(bytes[tokenEnd - 1]) { tokenEnd -= 1 }
            let token = UnsafeBufferPointer(rebasing: bytes[tokenStart..<tokenEnd])
            if !token.isEmpty, !Self.equalsIgnoringCase(token, "close"), !Self.equalsIgnoringCase(token, "keep-alive") {
                tokens.append(String(decoding: token.map(Self.lower), as: UTF8.self))
            }
            start = end + 1
        }
    }

    @inline(__always)
    private static func isOWS(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Whether a `Connection` token names `name`.
    static func isNamed(_ name: String, by tokens: [String]) -> Bool {
        tokens.contains { Self.equalsIgnoringCase(name.utf8, $0) }
    }
}
