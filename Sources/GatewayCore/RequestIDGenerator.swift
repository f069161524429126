#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes ``RequestID`` values from a buffer of CSPRNG bytes refilled 4 KiB at a time.
///
/// Why a buffer: ``RequestID/generate()`` asks the kernel twice per request (each
/// `SystemRandomNumberGenerator.next()` is a `getrandom(2)` call); here 256 ids cost 16
/// `getentropy` calls (256 bytes each, its limit). The bytes are the same OS CSPRNG output, each
/// used once, so the ids stay exactly as unpredictable.
///
/// Not thread-safe by design: the gateway keeps one per event-loop thread. `@unchecked Sendable`
/// only so it can live in a thread-specific slot; it is never shared between threads.
public final class RequestIDGenerator: @unchecked Sendable {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
    private var bytes = [UInt8](repeating: 0, count: 4096)
    private var index = 4096

    public init() {}

    /// 32 lower-case hex characters (128 bits), as ``RequestID/generate()``.
    public func next() -> String {
        if self.index + 16 > self.bytes.count {
            self.refill()
            self.index = 0
        }
        let start = self.index
        self.index += 16
        return self.bytes.withUnsafeBufferPointer { random in
            String(unsafeUninitializedCapacity: 32) { buffer in
                for offset in 0..<16 {
                    let byte = random[start + offset]
                    buffer[offset * 2] = Self.digits[Int(byte >> 4)]
                    buffer[offset * 2 + 1] = Self.digits[Int(byte & 0xF)]
                }
                return 32
            }
        }
    }

    private func refill() {
        self.bytes.withUnsafeMutableBytes { buffer in
            for offset in stride(from: 0, to: buffer.count, by: 256) {
                let count = min(256, buffer.count - offset)
                if getentropy(buffer.baseAddress! + offset, count) != 0 {
                    // Not expected (getrandom exists since Linux 3.17); the stdlib CSPRNG then.
                    var generator = SystemRandomNumberGenerator()
                    for index in offset..<(offset + count) {
                        buffer[index] = generator.next()
                    }
                }
            }
        }
    }
}
