/// Base64 (RFC 4648 §4) and base64url (§5) without Foundation.
///
/// Internal: used for RFC 9440 byte sequences, PEM bodies and the RFC 8705 `x5t#S256` thumbprint.
enum Base64 {
    private static let standardAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )
    private static let urlAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8
    )

    /// Reverse table for both alphabets (`+`/`-` → 62, `/`/`_` → 63); 0xFF marks invalid bytes.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in Self.standardAlphabet.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Encodes `bytes` as base64 bytes (ASCII).
    static func encodeBytes(_ bytes: some Collection<UInt8>, url: Bool = false, padding: Bool = true) -> [UInt8] {
        let alphabet = url ? Self.urlAlphabet : Self.standardAlphabet
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            if second != nil {
                output.append(alphabet[Int(group >> 6 & 0x3F)])
            } else if padding {
                output.append(UInt8(ascii: "="))
            }
            if third != nil {
                output.append(alphabet[Int(group & 0x3F)])
            } else if padding {
                output.append(UInt8(ascii: "="))
            }
        }
        return output
    }

    /// Encodes `bytes` as a base64 string.
    static func encode(_ bytes: some Collection<UInt8>, url: Bool = false, padding: Bool = true) -> String {
        String(decoding: Self.encodeBytes(bytes, url: url, padding: padding), as: UTF8.self)
    }

    /// Decodes base64 in either alphabet, with or without `=` padding. `nil` when malformed
    /// (invalid characters, impossible length, padding in the middle, non-zero trailing bits).
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var body = Array(text)
        var padding = 0
        while body.last == UInt8(ascii: "=") {
            body.removeLast()
            padding += 1
        }
        guard padding <= 2, body.count % 4 != 1 else { return nil }
        if padding > 0, (body.count + padding) % 4 != 0 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(body.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in body {
            let value = Self.decodeTable[Int(byte)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Leftover bits must be zero (RFC 4648 §3.5: canonical encoding).
        guard accumulator == 0 else { return nil }
        return output
    }
}
