import Foundation
import Testing

@testable import GatewayCore

@Suite("Access log query: summary and settings")
struct AccessLogQuerySummaryTests {
    typealias Fixture = AccessLogQueryFixture
    typealias Histogram = AccessLogSummary.Histogram

    @Test func histogramIsExactForSmallValues() {
        var histogram = Histogram()
        #expect(histogram.percentile(50) == nil)
        for value in 1...100 {
            histogram.record(microseconds: Int64(value))
        }
        #expect(histogram.percentile(50) == 0.050)
        #expect(histogram.percentile(95) == 0.095)
        #expect(histogram.percentile(99) == 0.099)
        #expect(histogram.percentile(100) == 0.100)
        #expect(histogram.count == 100)
    }

    /// Against exact nearest-rank percentiles of random durations (1 µs to ~20 min): within 1 %.
    @Test func histogramPercentilesAreWithinOnePercent() {
        var generator = AccessLogQueryRandom(seed: 42)
        var values: [Int64] = []
        var histogram = Histogram()
        for _ in 0..<20_000 {
            let exponent = Double(generator.next() % 10_000) / 10_000 * 21
            let value = Int64(pow(2, exponent) * 1000) / 1000 + Int64(generator.next() % 1000)
            values.append(value)
            histogram.record(microseconds: value)
        }
        values.sort()
        for percentile in [1.0, 50, 90, 95, 99, 99.9, 100] {
            let rank = max(1, Int((percentile / 100 * Double(values.count)).rounded(.up)))
            let exact = Double(values[rank - 1]) / 1000
            let estimate = histogram.percentile(percentile) ?? -1
            #expect(abs(estimate - exact) <= exact * 0.01 + 0.001, "p\(percentile): \(estimate) vs \(exact)")
        }
        #expect(histogram.percentile(100) == Double(values.last ?? 0) / 1000)
    }

    @Test func histogramBucketsCoverEveryValue() {
        for value: Int64 in [0, 1, 127, 128, 129, 255, 256, 1000, 123_456, 1 << 40, 1 << 50] {
            let (low, high) = Histogram.range(of: Histogram.bucket(of: value))
            #expect(low <= value && value <= high, "\(value)")
            #expect(Double(high - low) <= Double(value) / 64 + 1, "\(value)")
        }
        var histogram = Histogram()
        histogram.record(microseconds: .max)
        histogram.record(microseconds: -5)
        #expect(histogram.percentile(100) == Double(Histogram.largestValue) / 1000)
        #expect(histogram.percentile(1) == 0)
    }

    static func sampleSummary() throws -> AccessLogSummary {
        var summary = AccessLogSummary(topClientCount: 2)
        let records = [
            Fixture.record(offsetMilliseconds: 0, route: "accounts", upstream: "aisp", status: 200, durationMS: 10),
            Fixture.record(
                offsetMilliseconds: 1, route: "accounts", upstream: "aisp", status: 502, durationMS: 30,
                error: "upstream_connect_failed"),
            Fixture.record(
                offsetMilliseconds: 2, orgID: "org2", softwareID: "soft2", route: "payments", upstream: "pisp",
                status: 403, durationMS: 20),
            Fixture.record(
                offsetMilliseconds: 3, orgID: "org2", softwareID: "soft2", route: "payments", upstream: "pisp",
                status: 201, durationMS: 40),
            Fixture.record(
                offsetMilliseconds: 4, orgID: "org2", softwareID: "soft2", route: "payments", upstream: "pisp",
                status: 201, durationMS: 50),
            Fixture.record(
                offsetMilliseconds: 5, subject: nil, thumbprint: nil, orgID: nil, softwareID: nil, route: nil,
                upstream: nil, status: 404, durationMS: 1, upstreamMS: nil, error: "no_route"),
            Fixture.record(offsetMilliseconds: 6, orgID: "org3", softwareID: "soft3", status: 200),
        ]
        for record in records {
            summary.add(try Fixture.line(record))
        }
        summary.add(try Fixture.line(Fixture.handshakeFailure(offsetMilliseconds: -10, reason: "unknown_ca")))
        summary.add(try Fixture.line(Fixture.handshakeFailure(offsetMilliseconds: 10, reason: "unknown_ca")))
        summary.add(try Fixture.line(Fixture.handshakeFailure(offsetMilliseconds: 11, reason: "certificate_expired")))
        summary.add(
            try Fixture.line(
                .connection(
                    ConnectionEventRecord(
                        time: Fixture.time, event: "connection_rejected", downstreamAddress: "192.0.2.1:1",
                        reason: "max_connections"))
            )
        )
        return summary
    }

    @Test func countsPerRouteUpstreamClientAndReason() throws {
        let summary = try Self.sampleSummary()
        #expect(summary.lines == 11)
        #expect(summary.requests == 7)
        #expect(summary.statusClasses == [0, 0, 4, 0, 2, 1])
        #expect(summary.firstTime == Fixture.timeMilliseconds - 10)
        #expect(summary.lastTime == Fixture.timeMilliseconds + 11)
        #expect(summary.routes["accounts"]?.requests == 3)
        #expect(summary.routes["accounts"]?.serverErrors == 1)
        #expect(summary.routes["payments"]?.clientErrors == 1)
        #expect(summary.routes["-"]?.requests == 1)
        #expect(summary.upstreams.keys.sorted() == ["aisp", "pisp"])
        #expect(summary.upstreams["pisp"]?.durations.count == 3)
        #expect(summary.anonymousRequests == 1)
        #expect(
            summary.topClients.map(\.client) == [
                AccessLogSummary.Client(orgID: "org2", softwareID: "soft2"),
                AccessLogSummary.Client(orgID: "org1", softwareID: "soft1"),
            ])
        #expect(summary.errors == ["upstream_connect_failed": 1, "no_route": 1])
        #expect(summary.handshakeFailures == ["unknown_ca": 2, "certificate_expired": 1])
        #expect(summary.connectionEvents == ["connection_rejected max_connections": 1])
        #expect(summary.durations.percentile(50).map { abs($0 - 20) <= 0.2 } == true, "nearest rank 4 of 7 is 20 ms")
        #expect(summary.routes["payments"]?.durations.percentile(50).map { abs($0 - 40) < 0.4 } == true)
    }

    @Test func rendersJSON() throws {
        let json = try Self.sampleSummary().renderJSON()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["requests"] as? Int == 7)
        #expect(object["first_time"] as? String == "2026-11-30T10:38:08.113Z")
        #expect((object["status"] as? [String: Int])?["5xx"] == 1)
        let routes = try #require(object["routes"] as? [[String: Any]])
        #expect(routes.map { $0["route"] as? String } == ["accounts", "payments", "-"])
        #expect(abs((routes.first?["5xx_rate"] as? Double ?? 0) - 0.333333) < 1e-9)
        let upstreams = try #require(object["upstreams"] as? [[String: Any]])
        #expect(upstreams.map { $0["upstream"] as? String } == ["aisp", "pisp"])
        #expect((upstreams.first?["upstream_ms"] as? [String: Any])?["p50"] as? Double == 10.5)
        let clients = try #require(object["top_clients"] as? [[String: Any]])
        #expect(clients.map { $0["org_id"] as? String } == ["org2", "org1"])
        let failures = try #require(object["tls_handshake_failures"] as? [String: Any])
        #expect(failures["total"] as? Int == 3)
        #expect((failures["reasons"] as? [String: Int]) == ["unknown_ca": 2, "certificate_expired": 1])
        #expect(AccessLogSummary().renderJSON().contains(#""first_time":null"#))
    }

    @Test func rendersText() throws {
        let text = try Self.sampleSummary().renderText()
        #expect(
            text.contains("requests                 7  1xx 0  2xx 4 (57.1%)  3xx 0  4xx 2 (28.6%)  5xx 1 (14.3%)"))
        #expect(text.contains("lines                   11  2026-11-30T10:38:08.113Z .. 2026-11-30T10:38:08.134Z"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let routeHeader = try #require(lines.firstIndex { $0.hasPrefix("ROUTE") })
        #expect(lines[routeHeader] == "ROUTE     REQUESTS    4XX%   5XX%  P50_MS  P95_MS  P99_MS")
        #expect(lines[routeHeader + 1].hasPrefix("accounts         3    0.0%  33.3%"))
        #expect(text.contains("(top 2 of 3 clients)"))
        #expect(text.contains("(1 requests without a client identity)"))
        #expect(text.contains("unknown_ca                        2"))
        #expect(text.contains("connection_rejected max_connections      1"))
        #expect(!lines.contains { $0.hasSuffix(" ") }, "no trailing spaces")
    }

    // MARK: - Settings read by --config

    static func writeConfiguration(_ text: String) throws -> String {
        let directory = NSTemporaryDirectory() + "logsq-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/gateway.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Only the two access-log keys are read; the rest of the file (TLS material that the
    /// operator may not be allowed to read) is not.
    @Test func settingsResolveTheLogPathAgainstTheFile() throws {
        let path = try Self.writeConfiguration(
            """
            [gateway]
            access_log = "logs/access.log"
            drain_timeout = "5s"

            [[listener]]
            private_key = "/nonexistent/unreadable.key"
            """
        )
        let settings = try AccessLogQuerySettings.load(configurationPath: path)
        let directory = (path as NSString).deletingLastPathComponent
        #expect(
            settings.destination
                == .file(path: URL(fileURLWithPath: directory + "/logs/access.log").standardizedFileURL.path))
        #expect(settings.format == .json)
    }

    @Test func settingsVariants() throws {
        let combined = try Self.writeConfiguration(
            "[gateway]\naccess_log = \"stdout\"\naccess_log_format = \"combined\"\n")
        #expect(
            try AccessLogQuerySettings.load(configurationPath: combined)
                == AccessLogQuerySettings(destination: .stdout, format: .combined))
        let empty = try Self.writeConfiguration("")
        #expect(
            try AccessLogQuerySettings.load(configurationPath: empty)
                == AccessLogQuerySettings(destination: .stdout, format: .json))
        for bad in [
            "[gateway]\naccess_log_format = \"xml\"\n", "[gateway]\naccess_log = \"\"\n", "gateway = 1\n", "[gateway\n",
        ] {
            let path = try Self.writeConfiguration(bad)
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try AccessLogQuerySettings.load(configurationPath: path)
            }
        }
        #expect(throws: ConfigurationError.self) {
            try AccessLogQuerySettings.load(configurationPath: "/nonexistent/gateway.conf")
        }
    }
}

/// A small deterministic generator for repeatable random test data.
struct AccessLogQueryRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
