/// Parses the duration strings used in configuration files: `"250ms"`, `"2s"`, `"1.5s"`, `"5m"`,
/// `"1h"` and concatenations such as `"1h30m"`.
///
/// Units are `ms`, `s`, `m` and `h`. A number without a unit is rejected on purpose: `timeout = "30"`
/// could mean seconds or milliseconds, and guessing wrong silently turns a 30 s timeout into 30 ms.
/// Fractions are allowed down to nanosecond precision; negative values are not.
public enum DurationParser {
    /// The accepted units with their length in nanoseconds. `ms` is listed before `m` so that the
    /// longest unit wins.
    private static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("ms", 1_000_000),
        ("s", 1_000_000_000),
        ("m", 60 * 1_000_000_000),
        ("h", 3_600 * 1_000_000_000),
    ]

    /// Returns the duration written in `s`, or `nil` if it is not a valid duration string.
    public static func parse(_ s: String) -> Duration? {
        var rest = Substring(s)
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        while !rest.isEmpty {
            guard let (component, remainder) = Self.parseComponent(rest) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(component)
            guard !overflow else { return nil }
            total = sum
            rest = remainder
        }
        return .nanoseconds(total)
    }

    /// Parses one `<number><unit>` component from the front of `text`, returning its length in
    /// nanoseconds and what follows it.
    private static func parseComponent(_ text: Substring) -> (Int64, Substring)? {
        let integerDigits = text.prefix(while: { $0.isASCII && $0.isNumber })
        var rest = text[integerDigits.endIndex...]
        var fractionDigits: Substring = ""
        if rest.first == "." {
            rest = rest.dropFirst()
            fractionDigits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            rest = rest[fractionDigits.endIndex...]
            guard !fractionDigits.isEmpty else { return nil }
        }
        guard !integerDigits.isEmpty else { return nil }
        guard let unit = Self.units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
        rest = rest.dropFirst(unit.suffix.count)

        guard let whole = Int64(integerDigits) else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: unit.nanoseconds)
        guard !overflow else { return nil }
        // Add the fraction digit by digit so that no intermediate value can overflow; precision
        // below one nanosecond is dropped.
        var fraction: Int64 = 0
        var scale = unit.nanoseconds
        for digit in fractionDigits {
            scale /= 10
            guard let value = digit.wholeNumberValue else { return nil }
            fraction += Int64(value) * scale
        }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(fraction)
        guard !sumOverflow else { return nil }
        return (sum, rest)
    }
}
