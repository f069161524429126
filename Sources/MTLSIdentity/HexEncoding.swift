/// Hexadecimal encoding and decoding of byte strings.
///
/// Internal: thumbprints, serial numbers and `#hex` DN values all go through here so that case
/// conventions (OpenSSL upper-case, RFC 8705 / nginx lower-case) are decided in one place.
enum HexEncoding {
    private static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Hex of `bytes` without separators.
    static func encode(_ bytes: some Collection<UInt8>, uppercase: Bool) -> String {
        let digits = uppercase ? Self.upperDigits : Self.lowerDigits
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the two hex digits of `byte` to `output`.
    static func append(_ byte: UInt8, uppercase: Bool, to output: inout [UInt8]) {
        let digits = uppercase ? Self.upperDigits : Self.lowerDigits
        output.append(digits[Int(byte >> 4)])
        output.append(digits[Int(byte & 0x0F)])
    }

    /// The value of one ASCII hex digit, either case.
    static func value(ofDigit digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Decodes an even-length hex string; `nil` on any non-hex digit or odd length.
    static func decode(_ digits: some Collection<UInt8>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for digit in digits {
            guard let value = Self.value(ofDigit: digit) else { return nil }
            if let pending = high {
                output.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return output
    }
}
