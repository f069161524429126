/// Parses the size strings used in configuration files: `"512B"`, `"32KiB"`, `"10MiB"`, `"1GiB"`,
/// and the decimal units `"1KB"` (1000 bytes), `"1MB"`, `"1GB"`.
///
/// A unit is always required (`"512"` is rejected) so that a size can never be misread; the loader
/// separately accepts a TOML integer as a number of bytes. Units are case-sensitive because `Kb`
/// (kilobits) and `KB` differ.
public enum ByteSizeParser {
    /// The accepted units with their size in bytes; longer suffixes first so `KiB` is not read as
    /// `B` after a bad number.
    private static let units: [(suffix: String, bytes: Int)] = [
        ("KiB", 1 << 10),
        ("MiB", 1 << 20),
        ("GiB", 1 << 30),
        ("TiB", 1 << 40),
        ("KB", 1_000),
        ("MB", 1_000_000),
        ("GB", 1_000_000_000),
        ("TB", 1_000_000_000_000),
        ("B", 1),
    ]

    /// Returns the number of bytes written in `s`, or `nil` if it is not a valid size string.
    public static func parse(_ s: String) -> Int? {
        let digits = s.prefix(while: { $0.isASCII && $0.isNumber })
        let suffix = s[digits.endIndex...]
        guard !digits.isEmpty,
            let unit = Self.units.first(where: { $0.suffix == suffix }),
            let value = Int(digits)
        else {
            return nil
        }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: unit.bytes)
        return overflow ? nil : bytes
    }
}
