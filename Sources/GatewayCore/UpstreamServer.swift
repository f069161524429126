/// One backend server of an upstream pool (`[[upstream]] servers`), written as
/// `http://host[:port]` or `https://host[:port]`.
///
/// The port defaults to 80 or 443. Paths, queries, fragments and user info are rejected: the
/// request path comes from the downstream request (optionally rewritten by the route), and
/// credentials in URLs would end up in logs. A lone trailing `/` is tolerated.
public struct UpstreamServer: Sendable, Hashable, CustomStringConvertible {
    /// Whether the gateway speaks plain HTTP or TLS to the server.
    public enum Scheme: String, Sendable {
        /// Plain HTTP/1.1.
        case http
        /// HTTP/1.1 over TLS.
        case https

        /// 80 or 443.
        public var defaultPort: Int {
            switch self {
            case .http: return 80
            case .https: return 443
            }
        }
    }

    /// The scheme.
    public var scheme: Scheme
    /// An IPv4 or IPv6 literal (without brackets) or a lowercased host name.
    public var host: String
    /// 1...65535.
    public var port: Int

    /// Creates a server from its parts (no validation).
    public init(scheme: Scheme, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Parses `http://host[:port]` or `https://host[:port]`.
    public init(parsing text: String) throws(ConfigurationValueError) {
        let scheme: Scheme
        var rest: Substring
        if text.lowercased().hasPrefix("http://") {
            scheme = .http
            rest = text.dropFirst("http://".count)
        } else if text.lowercased().hasPrefix("https://") {
            scheme = .https
            rest = text.dropFirst("https://".count)
        } else {
            throw ConfigurationValueError("\"\(text)\" must start with \"http://\" or \"https://\"")
        }
        if rest.hasSuffix("/") {
            rest = rest.dropLast()
        }
        if rest.contains(where: { "/?#".contains($0) }) {
            throw ConfigurationValueError("\"\(text)\" must not have a path, query or fragment")
        }
        if rest.contains("@") {
            throw ConfigurationValueError("\"\(text)\" must not contain user information")
        }
        let hostPart: Substring
        var portPart: Substring?
        let bracketed = rest.hasPrefix("[")
        if bracketed {
            guard let close = rest.firstIndex(of: "]") else {
                throw ConfigurationValueError("missing \"]\" after the IPv6 address in \"\(text)\"")
            }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else {
                    throw ConfigurationValueError("unexpected \"\(after)\" after the IPv6 address in \"\(text)\"")
                }
                portPart = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        } else {
            hostPart = rest
        }
        let host = try HostSyntax.canonicalHost(hostPart, bracketed: bracketed)
        var port = scheme.defaultPort
        if let portPart {
            port = try HostSyntax.port(portPart)
            guard port != 0 else {
                throw ConfigurationValueError("port 0 is not a valid upstream port")
            }
        }
        self.init(scheme: scheme, host: host, port: port)
    }

    /// `scheme://host:port`, always with the port.
    public var description: String {
        "\(self.scheme.rawValue)://\(HostSyntax.bracketed(self.host)):\(self.port)"
    }
}
