import Foundation

/// Textual IP address parsing and formatting shared by ``CIDR``, ``SocketAddressSpec`` and
/// ``UpstreamServer``. Written by hand so that GatewayCore needs no socket APIs.
enum IPAddressText {
    /// Parses a dotted-quad IPv4 address into 4 bytes.
    ///
    /// Why strict: leading zeros are rejected because some resolvers read `010.0.0.1` as octal
    /// (`8.0.0.1`), so a trusted-downstream range written that way would not mean what it says.
    static func parseIPv4<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
            guard part.count == 1 || part.first != "0" else { return nil }
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// Parses an IPv6 address (RFC 4291 §2.2, including `::` and a trailing dotted IPv4 part) into
    /// 16 bytes. Brackets and zone identifiers are not accepted here.
    static func parseIPv6<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let string = String(text)
        guard !string.isEmpty, string.allSatisfy({ $0.isASCII }) else { return nil }
        let halves = string.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        guard let head = Self.parseGroups(halves[0], allowTrailingIPv4: halves.count == 1) else { return nil }
        if halves.count == 1 {
            return head.count == 16 ? head : nil
        }
        guard let tail = Self.parseGroups(halves[1], allowTrailingIPv4: true) else { return nil }
        // "::" stands for at least one group of zeros.
        guard head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// Parses colon-separated hexadecimal groups (possibly ending in dotted IPv4) into bytes.
    private static func parseGroups(_ text: String, allowTrailingIPv4: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, group) in groups.enumerated() {
            if index == groups.count - 1, allowTrailingIPv4, group.contains(".") {
                guard let v4 = Self.parseIPv4(group) else { return nil }
                bytes += v4
                continue
            }
            guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
            bytes.append(UInt8(value >> 8))
            bytes.append(UInt8(value & 0xff))
        }
        return bytes
    }

    /// Parses either family; IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) become 4 bytes, so that a
    /// dual-stack socket's view of an IPv4 peer matches IPv4 ranges.
    static func parseNormalized<S: StringProtocol>(_ text: S) -> [UInt8]? {
        if let v4 = Self.parseIPv4(text) { return v4 }
        guard let v6 = Self.parseIPv6(text) else { return nil }
        return Self.unmapped(v6)
    }

    /// The IPv4 bytes of an IPv4-mapped IPv6 address, or the input unchanged.
    static func unmapped(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count == 16, Self.isIPv4Mapped(bytes) else { return bytes }
        return Array(bytes[12...])
    }

    /// Whether 16 bytes lie in `::ffff:0:0/96`.
    static func isIPv4Mapped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 16 && bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff
    }

    /// Formats 4 or 16 bytes; IPv6 in the RFC 5952 canonical form (lowercase, longest zero run
    /// of two or more groups compressed).
    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 {
            return bytes.map { String($0) }.joined(separator: ".")
        }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < groups.count, groups[index] == 0 { index += 1 }
            if index - start > bestLength {
                bestStart = start
                bestLength = index - start
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
