import NIOHTTP1

/// The route → sanitize decision for one request head, as a pure function: every reason the
/// gateway answers a request itself instead of forwarding it.
///
/// Why pure: each rule is a security boundary (SNI/Host confusion, dot-segment smuggling,
/// certificate-less access to a protected route) and deserves a table test without sockets.
public enum RequestAdmission {
    /// What the gateway does with a request head.
    public enum Decision: Sendable {
        /// Forward it along `route`; `upstreamPath` is the request target to send upstream.
        case forward(route: RouteConfiguration, upstreamPath: String, host: String?)
        /// Answer it with this error (and an `Allow` header for 405).
        case reject(ProxyErrorKind, allow: [String])
    }

    /// The facts about the connection that the decision depends on.
    public struct ConnectionFacts: Sendable {
        /// The TLS server name the client sent, if any.
        public var sni: String?
        /// Whether the connection carries a verified client identity.
        public var hasIdentity: Bool
        /// Creates connection facts.
        public init(sni: String?, hasIdentity: Bool) {
            self.sni = sni
            self.hasIdentity = hasIdentity
        }
    }

    /// Decides about one request head.
    /// - Parameters:
    ///   - requiresCertificate: whether a route demands a certificate on this listener.
    public static func decide(
        head: HTTPRequestHead,
        connection: ConnectionFacts,
        routes: RouteTable,
        maxHeaderSize: Int,
        requiresCertificate: (RouteConfiguration) -> Bool
    ) -> Decision {
        // RFC 6585 §5: a header block over the configured size is 431.
        if Self.headerBlockSize(head) > maxHeaderSize { return .reject(.headersTooLarge, allow: []) }

        // RFC 9112 §3.2: HTTP/1.1 requests carry exactly one Host; 400 otherwise.
        var hostValue: String? = nil
        var hostCount = 0
        for (name, value) in head.headers where name.utf8.count == 4 && Self.isHostName(name) {
            hostCount += 1
            hostValue = value
        }
        if hostCount > 1 || (hostCount == 0 && head.version.minor >= 1 && head.version.major == 1) {
            return .reject(.missingHost, allow: [])
        }
        let host = hostValue.map { Self.hostWithoutPort($0) }

        // Origin-form only (RFC 9112 §3.2.1); no dot segments, raw or percent-encoded, no NUL or
        // backslash: upstreams normalise differently, so a path the gateway routed as
        // /open/../register could reach a route with other certificate rules.
        guard let path = Self.validatedPath(head.uri) else { return .reject(.invalidPath, allow: []) }

        // SNI / Host mismatch: a request may not use a connection negotiated for another name to
        // reach a virtual host with stricter rules (RFC 9110 §15.5.20, 421 Misdirected Request).
        if let sni = connection.sni, let host, !Self.hostsEqual(sni, host) {
            return .reject(.misdirectedRequest, allow: [])
        }

        switch routes.match(host: host, path: path, method: head.method.rawValue) {
        case .notFound:
            return .reject(.routeNotFound, allow: [])
        case .methodNotAllowed(let allowed):
            return .reject(.methodNotAllowed, allow: allowed)
        case .route(let route, _):
            if requiresCertificate(route) && !connection.hasIdentity {
                return .reject(.clientCertificateRequired, allow: [])
            }
            if let limit = route.maxBodySize, let length = Self.contentLength(head), length > limit {
                return .reject(.bodyTooLarge, allow: [])
            }
            if let expectation = head.headers.first(name: "expect"),
                expectation.lowercased() != "100-continue"
            {
                return .reject(.unsupportedExpectation, allow: [])
            }
            return .forward(route: route, upstreamPath: Self.rewrite(head.uri, route: route), host: host)
        }
    }

    /// The size of the request line plus header block as sent on the wire.
    public static func headerBlockSize(_ head: HTTPRequestHead) -> Int {
        var size = head.method.rawValue.utf8.count + head.uri.utf8.count + 12
        for (name, value) in head.headers {
            size += name.utf8.count + value.utf8.count + 4
        }
        return size
    }

    /// The path part of an origin-form request target, or nil when it must be refused.
    ///
    /// Decided on the bytes, as the upstream reads them: with `Character`s a `/` or `?` followed
    /// by a combining mark is another character, so a segment boundary could hide from the
    /// dot-segment check while an upstream still splits there.
    public static func validatedPath(_ uri: String) -> Substring? {
        let bytes = uri.utf8
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        let end = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        var segmentStart = bytes.startIndex
        var index = bytes.startIndex
        while index != end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") {
                if Self.isDotSegment(bytes[segmentStart..<index]) { return nil }
                segmentStart = bytes.index(after: index)
            } else if byte == UInt8(ascii: "\\") || byte == 0 {
                return nil
            }
            index = bytes.index(after: index)
        }
        if Self.isDotSegment(bytes[segmentStart..<end]) { return nil }
        return uri[..<end]
    }

    private static func isDotSegment(_ segment: Substring.UTF8View) -> Bool {
        // "." and "..", also percent-encoded ("%2e", "%2E%2e", …): RFC 3986 §5.2.4 / §2.3.
        // Runs for every segment of every request: decide on the bytes without allocating.
        var dots = 0
        var bytes = segment
        while let first = bytes.first {
            if first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
            } else if first == UInt8(ascii: "%"), bytes.count >= 3,
                bytes[bytes.index(bytes.startIndex, offsetBy: 1)] == UInt8(ascii: "2"),
                bytes[bytes.index(bytes.startIndex, offsetBy: 2)] | 0x20 == UInt8(ascii: "e")
            {
                bytes = bytes.dropFirst(3)
            } else {
                return false
            }
            dots += 1
            if dots > 2 { return false }
        }
        return dots == 1 || dots == 2
    }

    /// The request target with the matched prefix replaced by `rewrite_prefix`, if set.
    public static func rewrite(_ uri: String, route: RouteConfiguration) -> String {
        guard let replacement = route.rewritePrefix else { return uri }
        // By bytes, as the prefix was matched: counting Characters would misplace the cut when a
        // combining mark follows the prefix.
        let rest = Substring(uri.utf8.dropFirst(route.pathPrefix.utf8.count))
        if replacement.hasSuffix("/") && rest.hasPrefix("/") {
            return replacement + rest.dropFirst()
        }
        if rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") || replacement.hasSuffix("/") {
            return replacement + rest
        }
        return replacement + "/" + rest
    }

    private static func isHostName(_ name: String) -> Bool {
        var iterator = name.utf8.makeIterator()
        for expected in "host".utf8 {
            guard let byte = iterator.next(), byte | 0x20 == expected else { return false }
        }
        return true
    }

    /// A Host value without its port, lowercased ("[::1]:8443" → "[::1]").
    public static func hostWithoutPort(_ host: String) -> String {
        let lowered = host.lowercased()
        if lowered.hasPrefix("[") {
            if let close = lowered.firstIndex(of: "]") { return String(lowered[...close]) }
            return lowered
        }
        if let colon = lowered.lastIndex(of: ":") { return String(lowered[..<colon]) }
        return lowered
    }

    private static func hostsEqual(_ sni: String, _ host: String) -> Bool {
        sni.lowercased() == host || "[\(sni.lowercased())]" == host
    }

    /// The declared body length, if the head carries a valid Content-Length.
    public static func contentLength(_ head: HTTPRequestHead) -> Int? {
        head.headers.first(name: "content-length").flatMap { Int($0) }
    }
}
