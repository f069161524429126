import Foundation

/// Base64url (RFC 4648 §5) for JOSE, plus the liberal standard base64 of JWK `x5c` entries.
///
/// Why hand-written: JWS segments must be decoded *strictly* (RFC 7515 §2 and §7.1: base64url
/// without padding, no line breaks, no `+` or `/`), so that one JWS has exactly one textual form and
/// garbage is refused rather than silently skipped, which Foundation's decoders do not guarantee.
enum Base64URL {
    private static let urlAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8
    )

    /// 6-bit values of the base64url alphabet; 0xFF marks bytes outside it.
    private static let urlTable: [UInt8] = Self.table(extra62: UInt8(ascii: "-"), extra63: UInt8(ascii: "_"))
    /// 6-bit values of the standard alphabet; 0xFF marks bytes outside it.
    private static let standardTable: [UInt8] = Self.table(extra62: UInt8(ascii: "+"), extra63: UInt8(ascii: "/"))

    private static func table(extra62: UInt8, extra63: UInt8) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in Self.urlAlphabet.prefix(62).enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        table[Int(extra62)] = 62
        table[Int(extra63)] = 63
        return table
    }

    /// Encodes `bytes` as base64url without padding.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let block = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(Self.urlAlphabet[Int(block >> 18 & 0x3F)])
            output.append(Self.urlAlphabet[Int(block >> 12 & 0x3F)])
            if second != nil {
                output.append(Self.urlAlphabet[Int(block >> 6 & 0x3F)])
            }
            if third != nil {
                output.append(Self.urlAlphabet[Int(block & 0x3F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Strict base64url: only the URL alphabet, no padding, no whitespace, a length that is not
    /// 1 mod 4, and zero bits in the unused low bits of the last character (the canonical form).
    /// Returns `nil` for anything else. The empty string decodes to no bytes.
    static func decodeStrict(_ text: some Collection<UInt8>) -> [UInt8]? {
        Self.decode(Array(text), table: Self.urlTable)
    }

    /// Liberal base64url for JWK members (`n`, `e`, `x`, `y`): as ``decodeStrict(_:)`` but
    /// trailing `=` padding is tolerated.
    static func decodeLenient(_ text: String) -> [UInt8]? {
        var bytes = Array(text.utf8)
        while bytes.last == UInt8(ascii: "=") {
            bytes.removeLast()
        }
        return Self.decode(bytes, table: Self.urlTable)
    }

    /// Liberal standard base64 (RFC 4648 §4) for `x5c` entries (RFC 7517 §4.7): whitespace,
    /// escaped newlines and PEM armour lines are ignored, padding is optional.
    static func decodeCertificateText(_ text: String) -> [UInt8]? {
        var body: [UInt8] = []
        let unescaped = text.replacingEscapedNewlines()
        for line in unescaped.split(whereSeparator: \.isNewline) {
            if line.contains("-----") {
                // `-----BEGIN CERTIFICATE-----` / `-----END CERTIFICATE-----`, possibly inline.
                let stripped = Self.stripArmour(String(line))
                body.append(contentsOf: stripped.utf8)
            } else {
                body.append(contentsOf: line.utf8)
            }
        }
        body.removeAll { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        while body.last == UInt8(ascii: "=") {
            body.removeLast()
        }
        guard !body.isEmpty else { return nil }
        return Self.decode(body, table: Self.standardTable)
    }

    private static func stripArmour(_ line: String) -> String {
        var remaining = Substring(line)
        var output = ""
        while let start = remaining.range(of: "-----") {
            output += remaining[..<start.lowerBound]
            let afterStart = remaining[start.upperBound...]
            guard let end = afterStart.range(of: "-----") else {
                return output
            }
            remaining = afterStart[end.upperBound...]
        }
        output += remaining
        return output
    }

    private static func decode(_ bytes: [UInt8], table: [UInt8]) -> [UInt8]? {
        guard bytes.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value = table[Int(byte)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Non-canonical encodings leave set bits behind (RFC 4648 §3.5).
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }
}

extension String {
    /// Replaces literal `\n` / `\r` escape sequences (seen in JWKS `x5c` entries copied from PEM
    /// files) by real newlines.
    fileprivate func replacingEscapedNewlines() -> String {
        self.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
    }
}
