/// Request ids: generated per request, or accepted from the client when well formed.
public enum RequestID {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// 32 lower-case hex characters from the system CSPRNG (128 bits).
    ///
    /// Why random and not a counter: the id is echoed to clients and logged; a guessable sequence
    /// would leak request volume and let a client collide with others' ids in the logs.
    public static func generate() -> String {
        // SystemRandomNumberGenerator is the OS CSPRNG (getrandom(2) / arc4random).
        var generator = SystemRandomNumberGenerator()
        let high = generator.next()
        let low = generator.next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<16 {
                let shift = UInt64(60 - index * 4)
                buffer[index] = Self.digits[Int(high >> shift & 0xF)]
                buffer[index + 16] = Self.digits[Int(low >> shift & 0xF)]
            }
            return 32
        }
    }

    /// Whether an inbound id may be kept: 1 to 128 characters of `A-Z a-z 0-9 . _ : -`.
    ///
    /// Why so strict: the id is copied into upstream requests, responses and logs; anything else
    /// (spaces, quotes, control characters, huge values) could inject into those.
    public static func isWellFormed(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard (1...128).contains(utf8.count) else { return false }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: ":"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
