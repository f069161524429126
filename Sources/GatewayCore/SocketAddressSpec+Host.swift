/// Validation of the host part of addresses and URLs in configuration files.
enum HostSyntax {
    /// Returns the canonical form of a host: an IPv4 literal, an IPv6 literal (without brackets,
    /// RFC 5952 form) or a lowercased DNS name (RFC 1123 labels). `bracketed` tells whether the
    /// caller found the host inside `[...]`, which is the only way an IPv6 literal may be written
    /// next to a port (RFC 3986 §3.2.2).
    static func canonicalHost(_ host: Substring, bracketed: Bool) throws(ConfigurationValueError) -> String {
        if bracketed {
            guard let bytes = IPAddressText.parseIPv6(host) else {
                throw ConfigurationValueError("\"[\(host)]\" is not an IPv6 address")
            }
            return IPAddressText.format(bytes)
        }
        if host.isEmpty {
            throw ConfigurationValueError("missing host")
        }
        if host.contains(":") {
            throw ConfigurationValueError("IPv6 addresses must be written in brackets, e.g. \"[::1]:8443\"")
        }
        if let bytes = IPAddressText.parseIPv4(host) {
            return IPAddressText.format(bytes)
        }
        guard Self.isDNSName(host) else {
            throw ConfigurationValueError("\"\(host)\" is not a valid host name or IP address")
        }
        return host.lowercased()
    }

    /// Whether `name` is a syntactically valid DNS host name: dot-separated labels of 1–63
    /// letters, digits and hyphens, not starting or ending with a hyphen, 253 characters at most.
    /// A name made only of digits and dots is rejected (it would be a malformed IPv4 address).
    static func isDNSName<S: StringProtocol>(_ name: S) -> Bool {
        guard !name.isEmpty, name.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-" else { return false }
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
        }
        return !name.allSatisfy({ $0.isNumber || $0 == "." })
    }

    /// Parses a decimal port in 0...65535.
    static func port<S: StringProtocol>(_ text: S) throws(ConfigurationValueError) -> Int {
        guard !text.isEmpty else {
            throw ConfigurationValueError("missing port")
        }
        guard text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text), port <= 65_535
        else {
            throw ConfigurationValueError("port \"\(text)\" is not a number in 0...65535")
        }
        return port
    }

    /// Formats a host for use before `:port` or in a URL: IPv6 literals get brackets.
    static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
