import Foundation

/// Recognises hosts that name the local machine, which a registered redirect URI must not
/// (open-banking.md §5).
///
/// Covers `localhost` and `*.localhost` (RFC 6761 §6.3), IPv4 127.0.0.0/8 in dotted, short
/// (`127.1`), integer and hex forms that URL parsers still accept, `0.0.0.0`, and IPv6 `::1`,
/// `::` and IPv4-mapped loopback, bracketed or not.
enum LoopbackHost {
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = String(name.dropFirst().dropLast())
        }
        while name.hasSuffix(".") {
            name.removeLast()
        }
        if name == "localhost" || name.hasSuffix(".localhost") {
            return true
        }
        if let ipv4 = Self.ipv4(name) {
            return ipv4 >> 24 == 127 || ipv4 == 0
        }
        if let ipv6 = Self.ipv6(name) {
            let isLoopback = ipv6.dropLast().allSatisfy { $0 == 0 } && (ipv6[15] == 1 || ipv6[15] == 0)
            let mapped = ipv6.prefix(10).allSatisfy { $0 == 0 } && ipv6[10] == 0xFF && ipv6[11] == 0xFF
            return isLoopback || (mapped && (ipv6[12] == 127 || ipv6[12...].allSatisfy { $0 == 0 }))
        }
        return false
    }

    /// IPv4 in the inet_aton forms: 1 to 4 parts, each decimal, `0x` hex or leading-0 octal.
    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = Self.number(part) else { return nil }
            values.append(value)
        }
        var address: UInt64 = 0
        for (index, value) in values.enumerated() {
            let isLast = index == values.count - 1
            let bits = isLast ? 8 * (4 - index) : 8
            guard value < (1 << UInt64(bits)) else { return nil }
            address |= isLast ? value : value << UInt64(8 * (3 - index))
        }
        return UInt32(truncatingIfNeeded: address)
    }

    private static func number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.count <= 12 else { return nil }
        if part.hasPrefix("0x") {
            return part.count == 2 ? 0 : UInt64(part.dropFirst(2), radix: 16)
        }
        if part.count > 1, part.hasPrefix("0") {
            return UInt64(part.dropFirst(), radix: 8)
        }
        return UInt64(part, radix: 10)
    }

    /// IPv6 text (RFC 4291 §2.2, with an optional trailing dotted quad) to 16 bytes.
    static func ipv6(_ text: String) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = Self.dottedQuad(piece) {
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 {
            return head.count == 16 ? head : nil
        }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    private static func dottedQuad(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }
}
