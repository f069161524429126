import Foundation

extension AccessLogQuery {
    /// One `--status` term: an exact code (`403`) or a class (`5xx`).
    public enum StatusPattern: Sendable, Hashable, CustomStringConvertible {
        /// Exactly this status code.
        case exact(Int)
        /// Every code of the class: `.class(5)` is 500–599.
        case `class`(Int)

        /// Whether `status` is matched.
        public func matches(_ status: Int) -> Bool {
            switch self {
            case .exact(let code):
                return status == code
            case .class(let digit):
                return status / 100 == digit
            }
        }

        /// `403` or `5xx`.
        public var description: String {
            switch self {
            case .exact(let code):
                return String(code)
            case .class(let digit):
                return "\(digit)xx"
            }
        }

        /// Parses a comma-separated list such as `4xx,5xx` or `403,429` (spaces allowed,
        /// `XX` in any case). Codes are 100–599, classes 1xx–5xx.
        public static func parseList(_ text: String) throws(AccessLogQueryError) -> [StatusPattern] {
            let terms = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            var patterns: [StatusPattern] = []
            for term in terms {
                if term.count == 3, term.hasSuffix("xx"), let digit = term.first?.wholeNumberValue,
                    (1...5).contains(digit)
                {
                    patterns.append(.class(digit))
                } else if term.count == 3, term.allSatisfy(\.isASCII), let code = Int(term), (100...599).contains(code)
                {
                    patterns.append(.exact(code))
                } else {
                    throw AccessLogQueryError(
                        "--status \(text.debugDescription): \(term.debugDescription) is neither a status code (100-599) nor a class such as 5xx"
                    )
                }
            }
            return patterns
        }
    }

    /// Parses a `--since` / `--until` value: a duration back from `now` (`15m`, `2h`, `1h30m`, see
    /// ``DurationParser``; also `d` for days), an RFC 3339 timestamp (`2026-11-30T10:38:08Z`), or
    /// a date (`2026-11-30`, midnight UTC). Returns milliseconds since 1970.
    public static func timeBound(_ text: String, now: Date, option: String) throws(AccessLogQueryError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        if let duration = Self.duration(trimmed) {
            let (seconds, attoseconds) = duration.components
            return nowMilliseconds - seconds * 1000 - attoseconds / 1_000_000_000_000_000
        }
        if let instant = AccessLogLineParser.epochMilliseconds(rfc3339: trimmed) {
            return instant
        }
        if let instant = AccessLogLineParser.epochMilliseconds(rfc3339: trimmed + "T00:00:00Z"), trimmed.count == 10 {
            return instant
        }
        throw AccessLogQueryError(
            "\(option) \(text.debugDescription) is neither a duration such as 15m or 2h nor an RFC 3339 time such as 2026-11-30T10:38:08Z"
        )
    }

    /// A ``DurationParser`` duration, or a whole number of days (`7d`).
    private static func duration(_ text: String) -> Duration? {
        if text.hasSuffix("d"), let days = Int64(text.dropLast()), days >= 0, days < 100_000 {
            return .seconds(days * 86_400)
        }
        return DurationParser.parse(text)
    }
}
