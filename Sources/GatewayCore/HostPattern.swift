/// Which `Host` a route applies to (`[[route]] host`): an exact name (`api.bank.example`) or a
/// wildcard (`*.bank.example`).
///
/// A wildcard matches any host that ends with `.bank.example` and has at least one label before
/// it (`a.bank.example`, `a.b.bank.example`) but not `bank.example` itself. Patterns are stored
/// lowercased because host names are case-insensitive (RFC 9110 §4.2.3). A port in a pattern is
/// rejected: routing compares names only, and the caller strips the port from the request's `Host`.
public enum HostPattern: Sendable, Hashable, CustomStringConvertible {
    /// Matches exactly this lowercased host.
    case exact(String)
    /// Matches hosts ending in this suffix, which starts with a dot: `*.bank.example` is stored as
    /// `.bank.example`.
    case wildcardSuffix(String)

    /// Parses `name` or `*.suffix`.
    public init(parsing text: String) throws(ConfigurationValueError) {
        var name = Substring(text.lowercased())
        if name.hasSuffix(".") {
            name = name.dropLast()
        }
        if name.hasPrefix("[") {
            guard name.hasSuffix("]"), let bytes = IPAddressText.parseIPv6(name.dropFirst().dropLast()) else {
                throw ConfigurationValueError("\"\(text)\" is not a valid host pattern")
            }
            self = .exact("[\(IPAddressText.format(bytes))]")
            return
        }
        if name.contains(":") {
            throw ConfigurationValueError("a host pattern must not contain a port (\"\(text)\")")
        }
        if name.hasPrefix("*.") {
            let suffix = name.dropFirst(2)
            guard !suffix.contains("*"), HostSyntax.isDNSName(suffix) else {
                throw ConfigurationValueError(
                    "\"\(text)\" is not a valid host pattern; use a host name or \"*.\" followed by one"
                )
            }
            self = .wildcardSuffix("." + suffix)
            return
        }
        guard !name.contains("*"), IPAddressText.parseIPv4(name) != nil || HostSyntax.isDNSName(name) else {
            throw ConfigurationValueError(
                "\"\(text)\" is not a valid host pattern; use a host name or \"*.\" followed by one"
            )
        }
        self = .exact(String(name))
    }

    /// Whether `host` (port already stripped by the caller) matches. Compared case-insensitively,
    /// ignoring one trailing dot.
    public func matches(_ host: String) -> Bool {
        var candidate = host.lowercased()
        if candidate.hasSuffix(".") {
            candidate.removeLast()
        }
        switch self {
        case .exact(let name):
            return candidate == name
        case .wildcardSuffix(let suffix):
            return candidate.count > suffix.count && candidate.hasSuffix(suffix)
        }
    }

    /// The pattern as written in configuration: `name` or `*.suffix`.
    public var description: String {
        switch self {
        case .exact(let name):
            return name
        case .wildcardSuffix(let suffix):
            return "*" + suffix
        }
    }
}
