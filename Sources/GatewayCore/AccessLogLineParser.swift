import Foundation

/// Reads access-log lines written with `access_log_format = "json"` back into typed values, for
/// `mtls-gateway logs`.
///
/// A line is one flat JSON object (RFC 8259) with the keys of ``AccessLogEvent/line(format:)``.
/// Parsing is one validating pass that records where each known member's value lies
/// (``Line``); values are decoded only when asked for, and ``Line/event()`` rebuilds the full
/// ``AccessLogEvent``. A line that is not a JSON object, or lacks a valid `time` or `event`, is
/// malformed (`nil`): callers count and skip it, never stop.
///
/// Why not `JSONSerialization`: it allocates a dictionary of bridged objects for every line,
/// which dominates the cost of reading a gigabyte-sized log; this parser allocates nothing for a
/// line that a filter rejects.
public enum AccessLogLineParser {
    /// Lines longer than this are malformed (the writer's longest lines are a few kilobytes).
    public static let maximumLineLength = 1 << 20

    /// Parses `text` (one line, without its newline).
    public static func parse(_ text: String) -> Line? {
        let bytes = Array(text.utf8)
        return Self.parse(bytes, range: 0..<bytes.count)
    }

    /// Parses the line at `range` of `storage`, e.g. one line of a read buffer. The returned
    /// ``Line`` shares `storage` (copy-on-write): nothing is copied.
    public static func parse(_ storage: [UInt8], range: Range<Int>) -> Line? {
        guard range.count <= Self.maximumLineLength, range.lowerBound >= 0, range.upperBound <= storage.count else {
            return nil
        }
        let keys = KeyTable.shared
        var spans = FieldSpans()
        let header: (time: Int64, kind: Line.Kind)? = storage.withUnsafeBufferPointer { buffer in
            let bytes = UnsafeBufferPointer(rebasing: buffer[range])
            var scanner = Scanner(bytes)
            guard scanner.scanObject(into: &spans, keys: keys) else {
                return nil
            }
            let timeSpan = spans[.time]
            let eventSpan = spans[.event]
            guard timeSpan.kind == .string, eventSpan.isString, eventSpan.count > 0,
                let time = Self.epochMilliseconds(rfc3339: Self.slice(bytes, timeSpan))
            else {
                return nil
            }
            return (time, Self.kind(of: Self.slice(bytes, eventSpan), escaped: eventSpan.kind == .escapedString))
        }
        guard let header else {
            return nil
        }
        return Line(storage: storage, range: range, spans: spans, timeMilliseconds: header.time, kind: header.kind)
    }

    /// Whether `text` looks like a line of the Apache `combined` format (`host - - [dd/Mon/yyyy:`),
    /// which this tool does not read. Used to refuse such a file with one sentence instead of
    /// reporting every line as malformed.
    public static func looksLikeCombinedFormat(_ storage: [UInt8], range: Range<Int>) -> Bool {
        storage.withUnsafeBufferPointer { buffer in
            let bytes = UnsafeBufferPointer(rebasing: buffer[range])
            guard let space = bytes.firstIndex(of: UInt8(ascii: " ")), space > 0 else {
                return false
            }
            let marker = Array(" - - [".utf8)
            let dateStart = space + marker.count
            guard bytes.count >= dateStart + 12, Array(bytes[space..<dateStart]) == marker else {
                return false
            }
            // dd/Mon/yyyy:
            let date = bytes[dateStart..<(dateStart + 12)].map { $0 }
            let isDigit = { (byte: UInt8) in byte &- UInt8(ascii: "0") < 10 }
            return isDigit(date[0]) && isDigit(date[1]) && date[2] == UInt8(ascii: "/")
                && date[6] == UInt8(ascii: "/") && date[7...10].allSatisfy(isDigit) && date[11] == UInt8(ascii: ":")
        }
    }

    static func slice(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ValueSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[span.start..<(span.start + span.count)])
    }

    private static let requestEvent = Array("request".utf8)
    private static let handshakeFailedEvent = Array("tls_handshake_failed".utf8)

    private static func kind(of event: UnsafeBufferPointer<UInt8>, escaped: Bool) -> Line.Kind {
        if escaped {
            var decoded: [UInt8] = []
            _ = Self.unescape(event, into: &decoded)
            return decoded.withUnsafeBufferPointer { Self.kind(of: $0, escaped: false) }
        }
        if event.elementsEqual(Self.requestEvent) {
            return .request
        }
        if event.elementsEqual(Self.handshakeFailedEvent) {
            return .handshakeFailed
        }
        return .connection
    }

    /// The value of one hex digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"):
            return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"):
            return UInt32(byte - UInt8(ascii: "A") + 10)
        default:
            return nil
        }
    }

    /// Decodes the escapes of a JSON string body (already validated by the scanner) into UTF-8,
    /// appending to `output`. A `\u` surrogate pair becomes one scalar; a lone surrogate becomes
    /// U+FFFD. Returns `false` only on an invalid escape.
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        output.reserveCapacity(output.count + bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else {
                return false
            }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "r"): output.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "t"): output.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "u"):
                guard let (scalar, consumed) = Self.unicodeEscape(bytes, at: index) else {
                    return false
                }
                output.append(contentsOf: String(Character(scalar)).utf8)
                index += consumed
                continue
            default:
                return false
            }
            index += 2
        }
        return true
    }

    /// The scalar of a `\u` escape with four hex digits (or of a UTF-16 surrogate pair of two such
    /// escapes) at `index`, and how many bytes it took.
    private static func unicodeEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        guard let high = Self.hex4(bytes, at: index + 2) else {
            return nil
        }
        if (0xD800..<0xDC00).contains(high), index + 11 < bytes.count,
            bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u"),
            let low = Self.hex4(bytes, at: index + 8), (0xDC00..<0xE000).contains(low)
        {
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return (Unicode.Scalar(value) ?? "\u{FFFD}", 12)
        }
        return (Unicode.Scalar(high) ?? "\u{FFFD}", 6)
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else {
            return nil
        }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = Self.hexValue(bytes[index + offset]) else {
                return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}
