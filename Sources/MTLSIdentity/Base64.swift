/// Base64 (RFC 4648 §4) and base64url (§5) without Foundation: the project's one codec.
///
/// Used for RFC 9440 byte sequences, PEM bodies and the RFC 8705 `x5t#S256` thumbprint here, and
/// by RegistrationCore for JOSE, which needs the strict single-alphabet, unpadded form
/// (``decodeUnpadded(_:alphabet:)``) so that a JWS has exactly one textual form.
public enum Base64 {
    /// One of the two RFC 4648 alphabets.
    public enum Alphabet: Sendable {
        /// `+` and `/` (§4).
        case standard
        /// `-` and `_` (§5).
        case url
    }

    private static let standardAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )
    private static let urlAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8
    )

    /// Reverse tables (6-bit value by byte; 0xFF marks invalid bytes): both alphabets, and each alone.
    private static let decodeTable: [UInt8] = Self.table(accepting: [.standard, .url])
    private static let standardTable: [UInt8] = Self.table(accepting: [.standard])
    private static let urlTable: [UInt8] = Self.table(accepting: [.url])

    private static func table(accepting alphabets: [Alphabet]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in Self.standardAlphabet.prefix(62).enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        for alphabet in alphabets {
            let source = alphabet == .url ? Self.urlAlphabet : Self.standardAlphabet
            table[Int(source[62])] = 62
            table[Int(source[63])] = 63
        }
        return table
    }

    /// Encodes `bytes` as base64 bytes (ASCII).
    public static func encodeBytes(_ bytes: some Collection<UInt8>, url: Bool = false, padding: Bool = true) -> [UInt8] {
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
    public static func encode(_ bytes: some Collection<UInt8>, url: Bool = false, padding: Bool = true) -> String {
        String(decoding: Self.encodeBytes(bytes, url: url, padding: padding), as: UTF8.self)
    }

    /// Decodes base64 in either alphabet, with or without `=` padding. `nil` when malformed
    /// (invalid characters, impossible length, padding in the middle, non-zero trailing bits).
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var body = Array(text)
        var padding = 0
        while body.last == UInt8(ascii: "=") {
            body.removeLast()
            padding += 1
        }
        guard padding <= 2 else { return nil }
        if padding > 0, (body.count + padding) % 4 != 0 { return nil }
        return Self.decodeBody(body, table: Self.decodeTable)
    }

    /// Strict decoding: only `alphabet`, no padding, no whitespace, canonical trailing bits.
    /// `nil` for anything else; the empty string decodes to no bytes.
    public static func decodeUnpadded(_ text: some Collection<UInt8>, alphabet: Alphabet) -> [UInt8]? {
        Self.decodeBody(Array(text), table: alphabet == .url ? Self.urlTable : Self.standardTable)
    }

    private static func decodeBody(_ body: [UInt8], table: [UInt8]) -> [UInt8]? {
        guard body.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(body.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in body {
            let value = table[Int(byte)]
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
