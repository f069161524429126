import Foundation

extension AccessLogLineParser {
    /// Milliseconds since 1970-01-01T00:00:00Z of an RFC 3339 `date-time` (§5.6), e.g.
    /// `2026-11-30T10:38:08.123Z` or `2026-11-30T11:38:08+01:00`; `nil` if `text` is not one.
    ///
    /// Accepts `t`/`T` or a space between date and time (RFC 3339 §5.6 note), `z`/`Z` or a numeric
    /// offset, and any number of fraction digits (truncated to milliseconds). A leap second
    /// (`:60`) counts as the last millisecond of its minute's 59th second.
    public static func epochMilliseconds(rfc3339 text: String) -> Int64? {
        var text = text
        return text.withUTF8 { Self.epochMilliseconds(rfc3339: $0) }
    }

    /// `epochMilliseconds` rendered as RFC 3339 UTC with milliseconds, the access log's own form.
    public static func rfc3339(epochMilliseconds: Int64) -> String {
        var buffer = LogLineBuffer(capacity: 24)
        let date = Date(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
        AccessLogTimestamp(date).appendRFC3339(to: &buffer)
        return buffer.string
    }

    static func epochMilliseconds(rfc3339 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        // YYYY-MM-DDTHH:MM:SS is 19 bytes, and a zone designator follows.
        guard bytes.count >= 20,
            let year = Self.digits(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = Self.digits(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"),
            let day = Self.digits(bytes, 8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = Self.digits(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
            let minute = Self.digits(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = Self.digits(bytes, 17, 2),
            (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
            hour < 24, minute < 60, second <= 60
        else {
            return nil
        }
        var index = 19
        var millisecond: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            var scale: Int64 = 100
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                millisecond += Int64(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > fractionStart else {
                return nil
            }
        }
        guard let offsetMinutes = Self.zoneOffsetMinutes(bytes, at: index) else {
            return nil
        }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - offsetMinutes * 60
        let leap: Int64 = second == 60 ? 999 : 0
        return seconds * 1000 + max(millisecond, leap)
    }

    /// The zone designator at `index` in minutes east of UTC; it must end the text.
    private static func zoneOffsetMinutes(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int64? {
        guard index < bytes.count else {
            return nil
        }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return index + 1 == bytes.count ? 0 : nil
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let hours = Self.digits(bytes, index + 1, 2),
                bytes[index + 3] == UInt8(ascii: ":"), let minutes = Self.digits(bytes, index + 4, 2),
                hours < 24, minutes < 60
            else {
                return nil
            }
            let offset = Int64(hours * 60 + minutes)
            return bytes[index] == UInt8(ascii: "+") ? offset : -offset
        default:
            return nil
        }
    }

    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else {
                return nil
            }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return isLeap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
