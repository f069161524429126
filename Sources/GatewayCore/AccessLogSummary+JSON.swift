extension AccessLogSummary {
    /// The summary as one JSON object (RFC 8259) for scripts, e.g.
    /// `{"lines":…,"requests":…,"first_time":…,"last_time":…,"status":{"1xx":…,"2xx":…,…},`
    /// `"duration_ms":{"p50":…,"p95":…,"p99":…,"max":…},"routes":[{"route":…,"requests":…,`
    /// `"4xx":…,"5xx":…,"4xx_rate":…,"5xx_rate":…,"duration_ms":{…}}],"upstreams":[… "upstream_ms" …],`
    /// `"top_clients":[{"org_id":…,"software_id":…,…}],"anonymous_requests":…,"errors":{code:n},`
    /// `"tls_handshake_failures":{"total":n,"reasons":{reason:n}},"connection_events":{…}}`.
    /// Rates are fractions (0–1); durations milliseconds; absent values `null`. No trailing newline.
    public func renderJSON() -> String {
        var members: [String] = []
        members.append("\"lines\":\(self.lines)")
        members.append("\"requests\":\(self.requests)")
        members.append("\"first_time\":" + Self.quoted(self.firstTime.map(AccessLogLineParser.rfc3339)))
        members.append("\"last_time\":" + Self.quoted(self.lastTime.map(AccessLogLineParser.rfc3339)))
        let classes = (1...5).map { "\"\($0)xx\":\(self.statusClasses[$0])" } + ["\"other\":\(self.statusClasses[0])"]
        members.append("\"status\":{" + classes.joined(separator: ",") + "}")
        members.append("\"duration_ms\":" + Self.percentilesJSON(self.durations))
        let routes = Self.ordered(self.routes).map { name, group in
            "{\"route\":" + Self.quoted(name) + "," + Self.groupJSON(group, durationKey: "duration_ms") + "}"
        }
        members.append("\"routes\":[" + routes.joined(separator: ",") + "]")
        let upstreams = Self.ordered(self.upstreams).map { name, group in
            "{\"upstream\":" + Self.quoted(name) + "," + Self.groupJSON(group, durationKey: "upstream_ms") + "}"
        }
        members.append("\"upstreams\":[" + upstreams.joined(separator: ",") + "]")
        let clients = self.topClients.map { client, group in
            "{\"org_id\":" + Self.quoted(client.orgID) + ",\"software_id\":" + Self.quoted(client.softwareID) + ","
                + Self.groupJSON(group, durationKey: "duration_ms") + "}"
        }
        members.append("\"top_clients\":[" + clients.joined(separator: ",") + "]")
        members.append("\"anonymous_requests\":\(self.anonymousRequests)")
        members.append("\"errors\":" + Self.countsJSON(self.errors))
        let failures = self.handshakeFailures.values.reduce(0, +)
        members.append(
            "\"tls_handshake_failures\":{\"total\":\(failures),\"reasons\":" + Self.countsJSON(self.handshakeFailures)
                + "}"
        )
        members.append("\"connection_events\":" + Self.countsJSON(self.connectionEvents))
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func groupJSON(_ group: Group, durationKey: String) -> String {
        let rate = { (count: Int) in group.requests > 0 ? Self.number(Double(count) / Double(group.requests)) : "null" }
        return "\"requests\":\(group.requests),\"4xx\":\(group.clientErrors),\"5xx\":\(group.serverErrors),"
            + "\"4xx_rate\":\(rate(group.clientErrors)),\"5xx_rate\":\(rate(group.serverErrors)),"
            + "\"\(durationKey)\":" + Self.percentilesJSON(group.durations)
    }

    private static func percentilesJSON(_ histogram: Histogram) -> String {
        let value = { (percentile: Double) in histogram.percentile(percentile).map(Self.milliseconds) ?? "null" }
        let maximum = histogram.count > 0 ? Self.milliseconds(Double(histogram.maximum) / 1000) : "null"
        return "{\"p50\":\(value(50)),\"p95\":\(value(95)),\"p99\":\(value(99)),\"max\":\(maximum)}"
    }

    private static func countsJSON(_ counts: [String: Int]) -> String {
        "{" + Self.ordered(counts).map { Self.quoted($0.name) + ":\($0.count)" }.joined(separator: ",") + "}"
    }

    /// A rate with at most six decimals.
    private static func number(_ value: Double) -> String {
        let millionths = Int((value * 1_000_000).rounded())
        let fraction = String(millionths % 1_000_000)
        let digits = String(repeating: "0", count: 6 - fraction.count) + fraction
        var trimmed = Substring(digits)
        while trimmed.last == "0" {
            trimmed = trimmed.dropLast()
        }
        return trimmed.isEmpty ? "\(millionths / 1_000_000)" : "\(millionths / 1_000_000).\(trimmed)"
    }

    private static func quoted(_ value: String?) -> String {
        guard let value else {
            return "null"
        }
        var buffer = LogLineBuffer(capacity: value.utf8.count + 2)
        JSONObjectWriter.appendQuoted(value, to: &buffer)
        return buffer.string
    }
}
