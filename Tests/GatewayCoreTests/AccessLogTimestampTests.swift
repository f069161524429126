import Foundation
import Testing

@testable import GatewayCore

@Suite("Access log: timestamps")
struct AccessLogTimestampTests {
    static func rfc3339(_ date: Date) -> String {
        var output = LogLineBuffer(capacity: 32)
        AccessLogTimestamp(date).appendRFC3339(to: &output)
        return output.string
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (0.999_9, "1970-01-01T00:00:00.999Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
        (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (1_796_035_088.123, "2026-11-30T10:38:08.123Z"),
        (4_107_542_399.0, "2100-02-28T23:59:59.000Z"),
    ])
    func knownInstants(seconds: Double, expected: String) {
        #expect(Self.rfc3339(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func agreesWithFoundationOverManyDays() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var seconds = -2_208_988_800.0  // 1900-01-01
        while seconds < 7_258_118_400 {  // 2200-01-01
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Self.rfc3339(date) == formatter.string(from: date))
            seconds += 86_400 * 37 + 3_723.25
        }
    }

    @Test func commonLogFormat() {
        var output = LogLineBuffer(capacity: 32)
        AccessLogTimestamp(Date(timeIntervalSince1970: 1_796_035_088.9)).appendCommonLogFormat(to: &output)
        #expect(output.string == "30/Nov/2026:10:38:08 +0000")
        output = LogLineBuffer(capacity: 32)
        AccessLogTimestamp(Date(timeIntervalSince1970: 1_767_225_600)).appendCommonLogFormat(to: &output)
        #expect(output.string == "01/Jan/2026:00:00:00 +0000")
    }

    @Test func decimals() {
        var output = LogLineBuffer(capacity: 64)
        for (value, width) in [(0, 1), (7, 3), (1234, 2), (-42, 1), (Int.max, 1), (Int.min, 1)] {
            output.appendPadded(value, width: width)
            output.append(UInt8(ascii: " "))
        }
        #expect(output.string == "0 007 1234 -42 \(Int.max) \(Int.min) ")
    }
}
