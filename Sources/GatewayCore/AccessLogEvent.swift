import Foundation

/// One line of the access log: a proxied request, a failed TLS handshake, or another
/// connection-level event (a connection refused over `max_connections`, a resumed session whose
/// identity could not be re-validated).
///
/// Rendering is pure and allocation-light (one `String`, hand-written JSON, timestamps computed
/// from the epoch) because the gateway writes one line per request.
public enum AccessLogEvent: Sendable, Hashable {
    /// A request that reached the HTTP layer.
    case request(AccessLogRecord)
    /// A TLS handshake that failed.
    case handshakeFailed(HandshakeFailureRecord)
    /// Another connection-level event without a request.
    case connection(ConnectionEventRecord)

    /// The event rendered as one line, without a trailing newline.
    ///
    /// - `json`: one JSON object (RFC 8259). Requests:
    ///   `time event request_id downstream_address sni tls_version tls_resumed client_verify
    ///   client_subject client_issuer client_serial client_thumbprint_s256 org_id software_id method
    ///   host path protocol route upstream upstream_address status bytes_received bytes_sent
    ///   duration_ms upstream_ms error`, in that order, absent values as `null`, `event` =
    ///   `"request"`; the record's `referer` / `userAgent` are never written. Handshake failures:
    ///   `time event downstream_address sni reason listener` with `event` = `"tls_handshake_failed"`;
    ///   other connection events use the same keys with their own `event` code.
    /// - `combined`: Apache combined log format plus two quoted fields (client subject DN and
    ///   `x5t#S256`); see ``AccessLogEvent/combinedLine()``.
    public func line(format: AccessLogFormat) -> String {
        switch format {
        case .json:
            return self.jsonLine()
        case .combined:
            return self.combinedLine()
        }
    }

    /// When the event happened.
    public var time: Date {
        switch self {
        case .request(let record):
            return record.time
        case .handshakeFailed(let record):
            return record.time
        case .connection(let record):
            return record.time
        }
    }
}

/// A UTC calendar breakdown of a `Date`, computed arithmetically (no `DateFormatter`, no
/// `Calendar`, no shared mutable state), so rendering is cheap and thread-safe.
struct AccessLogTimestamp: Sendable, Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    /// Breaks `date` down to whole milliseconds (rounded towards the past).
    init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let totalMS: Int64
        if interval.isFinite, abs(interval) < 9e9 {
            // Round to whole microseconds first so -0.001 s does not become -0.0010000000000000002 s
            // and land a millisecond early; then floor to milliseconds.
            totalMS = Self.floorDivide(Int64((interval * 1_000_000).rounded()), 1000).0
        } else if interval.isFinite, abs(interval) < 1e14 {
            totalMS = Int64((interval * 1000).rounded(.down))
        } else {
            totalMS = 0
        }
        let (days, msOfDay) = Self.floorDivide(totalMS, 86_400_000)
        self.millisecond = Int(msOfDay % 1000)
        let secondsOfDay = Int(msOfDay / 1000)
        self.hour = secondsOfDay / 3600
        self.minute = (secondsOfDay % 3600) / 60
        self.second = secondsOfDay % 60
        (self.year, self.month, self.day) = Self.civil(fromDays: days)
    }

    /// Division rounding towards negative infinity, with a non-negative remainder.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// Proleptic Gregorian date for a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static let monthAbbreviations = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// RFC 3339 UTC with milliseconds: `2026-11-30T10:38:08.123Z`.
    func appendRFC3339(to output: inout LogLineBuffer) {
        output.appendPadded(self.year, width: 4)
        output.append(UInt8(ascii: "-"))
        output.appendPadded(self.month, width: 2)
        output.append(UInt8(ascii: "-"))
        output.appendPadded(self.day, width: 2)
        output.append(UInt8(ascii: "T"))
        output.appendPadded(self.hour, width: 2)
        output.append(UInt8(ascii: ":"))
        output.appendPadded(self.minute, width: 2)
        output.append(UInt8(ascii: ":"))
        output.appendPadded(self.second, width: 2)
        output.append(UInt8(ascii: "."))
        output.appendPadded(self.millisecond, width: 3)
        output.append(UInt8(ascii: "Z"))
    }

    /// Apache `%t` in UTC: `30/Nov/2026:10:38:08 +0000` (without the brackets).
    func appendCommonLogFormat(to output: inout LogLineBuffer) {
        output.appendPadded(self.day, width: 2)
        output.append(UInt8(ascii: "/"))
        output.append(Self.monthAbbreviations[self.month - 1])
        output.append(UInt8(ascii: "/"))
        output.appendPadded(self.year, width: 4)
        output.append(UInt8(ascii: ":"))
        output.appendPadded(self.hour, width: 2)
        output.append(UInt8(ascii: ":"))
        output.appendPadded(self.minute, width: 2)
        output.append(UInt8(ascii: ":"))
        output.appendPadded(self.second, width: 2)
        output.append(" +0000")
    }
}

/// The UTF-8 bytes of one log line under construction; turned into a `String` once at the end.
///
/// Appending bytes is several times cheaper than appending many small `String`s, and escaping can
/// work on bytes because every byte that needs escaping is ASCII (UTF-8 continuation and lead bytes
/// are all ≥ 0x80).
struct LogLineBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        self.bytes.reserveCapacity(capacity)
    }

    var string: String {
        String(decoding: self.bytes, as: UTF8.self)
    }

    mutating func append(_ byte: UInt8) {
        self.bytes.append(byte)
    }

    mutating func append(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ text: Substring) {
        self.bytes.append(contentsOf: text.utf8)
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        self.bytes.append(contentsOf: bytes)
    }

    /// A literal, copied as raw bytes.
    mutating func appendStatic(_ text: StaticString) {
        text.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    /// A decimal integer.
    mutating func appendDecimal(_ value: Int) {
        self.appendPadded(value, width: 1)
    }

    /// A decimal integer left-padded with zeros to `width` digits.
    mutating func appendPadded(_ value: Int, width: Int) {
        let magnitude = value.magnitude
        if value < 0 {
            self.bytes.append(UInt8(ascii: "-"))
        }
        var divisor: UInt = 1
        var count = 1
        while magnitude / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        if count < width {
            self.bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - count))
        }
        while divisor > 0 {
            self.bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends `text`, replacing each byte for which `needsEscape` holds by what `escape` appends.
    /// Unescaped runs are copied in bulk from contiguous UTF-8, which keeps the common case (nothing
    /// to escape) a single copy.
    mutating func appendEscaping(
        _ text: Substring,
        needsEscape: (UInt8) -> Bool,
        escape: (UInt8, inout LogLineBuffer) -> Void
    ) {
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count where needsEscape(utf8[index]) {
                if runStart < index {
                    self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                escape(utf8[index], &self)
                runStart = index + 1
            }
            if runStart < utf8.count {
                self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
        }
    }

    /// Appends the two lowercase hex digits of `byte`.
    mutating func appendHex(_ byte: UInt8) {
        self.bytes.append(Self.hexDigits[Int(byte >> 4)])
        self.bytes.append(Self.hexDigits[Int(byte & 0xF)])
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
