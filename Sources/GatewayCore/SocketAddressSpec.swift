/// A `host:port` to listen on (`[[listener]] address`, `[admin] address`).
///
/// Accepted forms: `127.0.0.1:8443`, `[::1]:8443`, `[::]:8443` (all interfaces, dual-stack where
/// the OS allows), `0.0.0.0:8443`, `*:8443` (the same as `0.0.0.0`), and host names such as
/// `localhost:8443`, which the I/O layer resolves when binding. Port 0 asks the OS for a free port
/// (what tests do). IPv6 literals must be bracketed so the port cannot be mistaken for a group.
public struct SocketAddressSpec: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 or IPv6 literal (without brackets) or a lowercased host name.
    public var host: String
    /// 0...65535; 0 means "any free port".
    public var port: Int

    /// Creates an address from its parts (no validation).
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[ipv6]:port` or `*:port`.
    public init(parsing text: String) throws(ConfigurationValueError) {
        let hostPart: Substring
        let portPart: Substring
        let bracketed: Bool
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ConfigurationValueError("missing \"]\" after the IPv6 address")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let afterBracket = text[text.index(after: close)...]
            guard afterBracket.first == ":" else {
                throw ConfigurationValueError("missing port; expected \"[address]:port\"")
            }
            portPart = afterBracket.dropFirst()
            bracketed = true
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ConfigurationValueError("missing port; expected \"host:port\"")
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            bracketed = false
        }
        let port = try HostSyntax.port(portPart)
        if !bracketed, hostPart == "*" {
            self.init(host: "0.0.0.0", port: port)
            return
        }
        self.init(host: try HostSyntax.canonicalHost(hostPart, bracketed: bracketed), port: port)
    }

    /// `host:port`, with IPv6 literals in brackets.
    public var description: String {
        "\(HostSyntax.bracketed(self.host)):\(self.port)"
    }
}
