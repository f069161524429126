extension AccessLogSummary {
    /// The summary as aligned plain-text tables for a terminal, sections separated by blank
    /// lines; durations in milliseconds, rates as percentages of that group's requests. Names
    /// are sanitised like ``AccessLogQuery/Table`` cells (identities come from certificates).
    public func renderText() -> String {
        var sections: [String] = []
        sections.append(self.overview())
        if !self.routes.isEmpty {
            sections.append(self.groupTable(title: "ROUTE", groups: Self.ordered(self.routes), durationLabel: ""))
        }
        if !self.upstreams.isEmpty {
            sections.append(
                self.groupTable(title: "UPSTREAM", groups: Self.ordered(self.upstreams), durationLabel: "UPSTREAM_")
            )
        }
        if !self.clients.isEmpty || self.anonymousRequests > 0 {
            sections.append(self.clientTable())
        }
        if !self.errors.isEmpty {
            sections.append(Self.countTable(title: "ERROR", counts: Self.ordered(self.errors)))
        }
        if !self.handshakeFailures.isEmpty {
            sections.append(
                Self.countTable(title: "TLS_HANDSHAKE_FAILURE_REASON", counts: Self.ordered(self.handshakeFailures))
            )
        }
        if !self.connectionEvents.isEmpty {
            sections.append(Self.countTable(title: "CONNECTION_EVENT", counts: Self.ordered(self.connectionEvents)))
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    private func overview() -> String {
        var rows: [[String]] = []
        var span = "no lines matched"
        if let first = self.firstTime, let last = self.lastTime {
            span =
                AccessLogLineParser.rfc3339(epochMilliseconds: first) + " .. "
                + AccessLogLineParser.rfc3339(epochMilliseconds: last)
        }
        rows.append(["lines", "\(self.lines)", span])
        let classes = (1...5).map { digit in
            "\(digit)xx \(self.statusClasses[digit])" + Self.percentSuffix(self.statusClasses[digit], of: self.requests)
        }
        rows.append(["requests", "\(self.requests)", classes.joined(separator: "  ")])
        if self.durations.count > 0 {
            rows.append(["duration_ms", "", Self.percentiles(self.durations)])
        }
        let failures = self.handshakeFailures.values.reduce(0, +)
        rows.append(["tls_handshake_failures", "\(failures)", ""])
        return Self.align(rows, rightAligned: [1]).joined(separator: "\n")
    }

    private func groupTable(title: String, groups: [(name: String, group: Group)], durationLabel: String) -> String {
        var rows = [
            [
                title, "REQUESTS", "4XX%", "5XX%", "P50_\(durationLabel)MS", "P95_\(durationLabel)MS",
                "P99_\(durationLabel)MS",
            ]
        ]
        for (name, group) in groups {
            rows.append([AccessLogQuery.Table.sanitized(name)] + Self.groupCells(group))
        }
        return Self.align(rows, rightAligned: Set(1...6)).joined(separator: "\n")
    }

    private func clientTable() -> String {
        var rows = [["ORG_ID", "SOFTWARE_ID", "REQUESTS", "4XX%", "5XX%", "P50_MS", "P95_MS", "P99_MS"]]
        for (client, group) in self.topClients {
            rows.append(
                [
                    AccessLogQuery.Table.sanitized(client.orgID ?? "-"),
                    AccessLogQuery.Table.sanitized(client.softwareID ?? "-"),
                ] + Self.groupCells(group)
            )
        }
        var lines = Self.align(rows, rightAligned: Set(2...7))
        if self.clients.count > self.topClientCount {
            lines.append("(top \(self.topClientCount) of \(self.clients.count) clients)")
        }
        if self.anonymousRequests > 0 {
            lines.append("(\(self.anonymousRequests) requests without a client identity)")
        }
        return lines.joined(separator: "\n")
    }

    private static func groupCells(_ group: Group) -> [String] {
        [
            "\(group.requests)",
            Self.percent(group.clientErrors, of: group.requests),
            Self.percent(group.serverErrors, of: group.requests),
            group.durations.percentile(50).map(Self.milliseconds) ?? "-",
            group.durations.percentile(95).map(Self.milliseconds) ?? "-",
            group.durations.percentile(99).map(Self.milliseconds) ?? "-",
        ]
    }

    private static func countTable(title: String, counts: [(name: String, count: Int)]) -> String {
        var rows = [[title, "COUNT"]]
        for (name, count) in counts {
            rows.append([AccessLogQuery.Table.sanitized(name), "\(count)"])
        }
        return Self.align(rows, rightAligned: [1]).joined(separator: "\n")
    }

    private static func percentiles(_ histogram: Histogram) -> String {
        [50.0, 95, 99].map { percentile in
            "p\(Int(percentile)) " + (histogram.percentile(percentile).map(Self.milliseconds) ?? "-")
        }
        .joined(separator: "  ")
    }

    /// Rows padded into columns two spaces apart; `rightAligned` column indexes are padded on the
    /// left (numbers). The last column is not padded on the right.
    static func align(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let columnCount = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columnCount)
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let isLast = index == row.count - 1
                if rightAligned.contains(index) {
                    line += padding + cell
                } else {
                    line += isLast ? cell : cell + padding
                }
                if !isLast {
                    line += "  "
                }
            }
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    /// `12.345`: milliseconds with three decimals, as the access log writes them.
    static func milliseconds(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// `7.5%` (one decimal), or `-` when there is nothing to divide by.
    static func percent(_ count: Int, of total: Int) -> String {
        guard total > 0 else {
            return "-"
        }
        let tenths = Int((Double(count) * 1000 / Double(total)).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    private static func percentSuffix(_ count: Int, of total: Int) -> String {
        count > 0 && total > 0 ? " (\(Self.percent(count, of: total)))" : ""
    }
}
