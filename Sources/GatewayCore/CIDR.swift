/// An IPv4 or IPv6 address range such as `10.0.0.0/8` or `2001:db8::/32`
/// (`[gateway] trusted_downstream`).
///
/// Why it matters: only peers inside a trusted range may have their `X-Forwarded-For` /
/// `Forwarded` (RFC 7239) headers appended to; everyone else's are replaced, or a client could
/// forge its apparent origin. So parsing is strict: a range with host bits set (`10.0.0.1/8`) is
/// rejected rather than silently widened, and IPv4 octets with leading zeros are rejected (octal
/// ambiguity). A bare address is a single-host range (`/32` or `/128`). IPv4-mapped IPv6 ranges
/// and addresses (`::ffff:10.0.0.0/104`, `::ffff:10.1.2.3`) are treated as IPv4, so a dual-stack
/// listener's view of an IPv4 peer matches IPv4 ranges.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The network address: 4 bytes for IPv4, 16 for IPv6, host bits zero.
    private var network: [UInt8]
    /// The number of leading bits that must match.
    public private(set) var prefixLength: Int

    /// Whether this is an IPv6 range.
    public var isIPv6: Bool {
        self.network.count == 16
    }

    /// Parses `address/prefix` or a bare address.
    public init(parsing text: String) throws(ConfigurationValueError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = parts[0]
        guard var bytes = IPAddressText.parseIPv4(addressText) ?? IPAddressText.parseIPv6(addressText) else {
            throw ConfigurationValueError("\"\(addressText)\" is not an IPv4 or IPv6 address")
        }
        let maximum = bytes.count * 8
        var prefix = maximum
        if parts.count == 2 {
            let prefixText = parts[1]
            guard !prefixText.isEmpty, prefixText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(prefixText), value <= maximum
            else {
                throw ConfigurationValueError("prefix length \"\(prefixText)\" is not in 0...\(maximum)")
            }
            prefix = value
        }
        if IPAddressText.isIPv4Mapped(bytes), prefix >= 96 {
            bytes = IPAddressText.unmapped(bytes)
            prefix -= 96
        }
        let masked = Self.mask(bytes, prefixLength: prefix)
        guard masked == bytes else {
            let suggestion = "\(IPAddressText.format(masked))/\(prefix)"
            throw ConfigurationValueError("\"\(text)\" has host bits set; did you mean \"\(suggestion)\"?")
        }
        self.network = masked
        self.prefixLength = prefix
    }

    /// Whether `ipAddress` (textual IPv4 or IPv6, optionally in brackets or with a `%zone`) lies in
    /// this range. Unparseable addresses are never contained.
    public func contains(ipAddress: String) -> Bool {
        var text = Substring(ipAddress)
        if text.first == "[", text.last == "]" {
            text = text.dropFirst().dropLast()
        }
        if let percent = text.firstIndex(of: "%") {
            text = text[..<percent]
        }
        guard let bytes = IPAddressText.parseNormalized(text), bytes.count == self.network.count else {
            return false
        }
        return Self.mask(bytes, prefixLength: self.prefixLength) == self.network
    }

    /// `network/prefix`, IPv6 in RFC 5952 form.
    public var description: String {
        "\(IPAddressText.format(self.network))/\(self.prefixLength)"
    }

    /// Zeroes every bit after the first `prefixLength`.
    private static func mask(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsKept = max(0, min(8, prefixLength - index * 8))
            let byteMask: UInt8 = bitsKept == 0 ? 0 : ~UInt8(0) << (8 - bitsKept)
            result[index] &= byteMask
        }
        return result
    }
}
