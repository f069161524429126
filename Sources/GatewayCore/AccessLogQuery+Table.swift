extension AccessLogQuery {
    /// The aligned table `mtls-gateway logs` prints on a terminal: one row per line, fixed column
    /// widths so rows align while streaming (no need to see every row first).
    ///
    /// Columns: `TIME STATUS DURATION_MS METHOD ROUTE UPSTREAM ORG_ID SOFTWARE_ID ERROR DETAIL`.
    /// Widths follow the data: 24 for an RFC 3339 time with milliseconds, 18 and 22 for the Open
    /// Banking id limits (org id ≤ 18, software id ≤ 22); longer values are cut with `…`.
    /// `DETAIL` is the path for requests and `event address sni=… listener=…` for connection
    /// events, whose `ERROR` column holds the reason.
    ///
    /// Why values are sanitised: paths, hosts and SNI are chosen by clients; written raw to a
    /// terminal, an escape sequence in a path could rewrite the operator's screen or retitle the
    /// window. Control characters (C0, DEL, C1) are shown as `\xHH` instead.
    public enum Table {
        private struct Column {
            var title: String
            var width: Int
            var rightAligned = false
        }

        private static let columns = [
            Column(title: "TIME", width: 24),
            Column(title: "STATUS", width: 6, rightAligned: true),
            Column(title: "DURATION_MS", width: 11, rightAligned: true),
            Column(title: "METHOD", width: 7),
            Column(title: "ROUTE", width: 20),
            Column(title: "UPSTREAM", width: 20),
            Column(title: "ORG_ID", width: 18),
            Column(title: "SOFTWARE_ID", width: 22),
            Column(title: "ERROR", width: 24),
        ]

        /// The header row.
        public static var header: String {
            Self.render(Self.columns.map(\.title), detail: "DETAIL")
        }

        /// The row for `line`.
        public static func row(_ line: AccessLogLineParser.Line) -> String {
            let time = line.string(.time) ?? AccessLogLineParser.rfc3339(epochMilliseconds: line.timeMilliseconds)
            switch line.kind {
            case .request:
                let cells = [
                    time,
                    line.string(.status) ?? "-",
                    line.string(.durationMS) ?? "-",
                    line.string(.method) ?? "-",
                    line.string(.route) ?? "-",
                    line.string(.upstream) ?? "-",
                    line.string(.orgID) ?? "-",
                    line.string(.softwareID) ?? "-",
                    line.string(.error) ?? "-",
                ]
                return Self.render(cells, detail: line.string(.path) ?? "-")
            case .handshakeFailed, .connection:
                var detail = "\(line.eventName) \(line.string(.downstreamAddress) ?? "-")"
                if let sni = line.string(.sni) {
                    detail += " sni=\(sni)"
                }
                if let listener = line.string(.listener) {
                    detail += " listener=\(listener)"
                }
                let cells = [time, "-", "-", "-", "-", "-", "-", "-", line.string(.reason) ?? "-"]
                return Self.render(cells, detail: detail)
            }
        }

        private static func render(_ cells: [String], detail: String) -> String {
            var row = ""
            row.reserveCapacity(200)
            for (cell, column) in zip(cells, Self.columns) {
                let text = Self.fit(Self.sanitized(cell), width: column.width)
                let padding = String(repeating: " ", count: max(0, column.width - Self.width(of: text)))
                row += column.rightAligned ? padding + text : text + padding
                row += "  "
            }
            row += Self.sanitized(detail)
            return row
        }

        /// `text` cut to `width` characters, the last one replaced by `…` when cut.
        private static func fit(_ text: String, width: Int) -> String {
            guard text.utf8.count > width, text.count > width else {
                return text
            }
            return String(text.prefix(width - 1)) + "…"
        }

        /// The number of characters in `text`; the UTF-8 length when it is ASCII (the usual case,
        /// and much cheaper than counting grapheme clusters).
        private static func width(of text: String) -> Int {
            text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
        }

        /// `text` with every control character (C0, DEL, C1) replaced by `\xHH`.
        static func sanitized(_ text: String) -> String {
            // C1 controls are U+0080–U+009F, encoded as C2 80–C2 9F: a C2 byte sends the text to
            // the careful path.
            guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }),
                text.unicodeScalars.contains(where: Self.isControl)
            else {
                return text
            }
            var result = ""
            for scalar in text.unicodeScalars {
                if Self.isControl(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            return result
        }

        private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        }
    }
}
