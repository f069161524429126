import Foundation
import GatewayCore
import Testing

/// Access-log lines and files for the `mtls-gateway logs` tests, rendered by the gateway's own
/// writer code so the tests read exactly what the gateway writes.
enum LogsCommandFixture {
    /// 2026-11-30T10:38:08.123Z.
    static let time = Date(timeIntervalSince1970: 1_796_035_088.123)

    static func request(
        second: Int = 0,
        requestID: String = "req-1",
        orgID: String = "org1",
        route: String = "accounts",
        status: Int = 200,
        durationMS: Double = 12.5,
        error: String? = nil
    ) -> AccessLogEvent {
        .request(
            AccessLogRecord(
                time: Self.time.addingTimeInterval(Double(second)),
                requestID: requestID,
                downstreamAddress: "203.0.113.9:51234",
                sni: "api.bank.example",
                tlsVersion: "TLSv1.3",
                clientVerify: "SUCCESS",
                identity: AccessLogIdentityFields(
                    subject: "CN=soft-\(orgID),OU=\(orgID),O=OpenBanking,C=GB",
                    thumbprintS256: "thumb-\(orgID)",
                    orgID: orgID,
                    softwareID: "soft-\(orgID)"
                ),
                method: "GET",
                host: "api.bank.example",
                path: "/open-banking/v3.1/aisp/accounts",
                protocol: "HTTP/1.1",
                route: route,
                upstream: "backend",
                upstreamAddress: "127.0.0.1:8080",
                status: status,
                bytesReceived: 0,
                bytesSent: 100,
                durationMS: durationMS,
                upstreamMS: durationMS / 2,
                error: error
            )
        )
    }

    static func handshakeFailure(second: Int = 0, reason: String = "certificate_expired") -> AccessLogEvent {
        .handshakeFailed(
            HandshakeFailureRecord(
                time: Self.time.addingTimeInterval(Double(second)),
                downstreamAddress: "198.51.100.7:40000",
                sni: "api.bank.example",
                reason: reason,
                listener: "mtls"
            )
        )
    }

    static func json(_ events: [AccessLogEvent]) -> String {
        events.map { $0.line(format: .json) + "\n" }.joined()
    }

    /// A fresh folder.
    static func directory() throws -> String {
        try ExecutableConfiguration.makeDirectory("logs")
    }

    /// Compresses `path` into `path.gz` (removing `path`) with the system gzip.
    static func gzip(_ path: String) async throws {
        let result = try await ExecutableCommand.run("/usr/bin/env", ["gzip", "-f", path])
        try #require(result.status == 0, "\(result.stderr)")
    }

    static func logs(_ arguments: [String], stdin: Data? = nil) async throws -> ExecutableCommand {
        try await ExecutableCommand.run(ExecutableGateway.binary("mtls-gateway"), ["logs"] + arguments, stdin: stdin)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }
}

/// `mtls-gateway logs` run as an operator runs it: the built executable on files in a temporary
/// folder, checking standard output, standard error and the exit status.
@Suite("mtls-gateway logs", .timeLimit(.minutes(2)))
struct LogsCommandTests {
    typealias Fixture = LogsCommandFixture

    static let events: [AccessLogEvent] = [
        Fixture.request(second: 0, requestID: "a", status: 200),
        Fixture.request(
            second: 60, requestID: "b", orgID: "org2", route: "payments", status: 502, error: "upstream_connect_failed"),
        Fixture.handshakeFailure(second: 120),
        Fixture.request(second: 180, requestID: "c", orgID: "org2", status: 403),
        .connection(
            ConnectionEventRecord(
                time: Fixture.time.addingTimeInterval(240),
                event: "connection_rejected",
                downstreamAddress: "192.0.2.1:1",
                reason: "max_connections"
            )
        ),
    ]

    /// The sample log with three malformed lines (garbage, a truncated object, an object without
    /// `time`) and a blank line, which is not counted.
    static func writeSampleLog() throws -> (path: String, lines: [String]) {
        let lines = Self.events.map { $0.line(format: .json) }
        let text =
            lines[0] + "\nnot json at all\n" + lines[1] + "\n" + lines[2] + "\n\n" + lines[3] + "\n"
            + String(lines[1].prefix(40)) + "\n{\"event\":\"request\"}\n" + lines[4]  // no final newline
        let path = try Fixture.directory() + "/access.log"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, lines)
    }

    @Test func filtersPrintMatchingLinesAsLogged() async throws {
        let (path, lines) = try Self.writeSampleLog()
        let cases: [([String], [String])] = [
            ([], lines),  // standard output is a pipe: JSON lines by default
            (["--status", "5xx"], [lines[1]]),
            (["--status", "4xx,5xx"], [lines[1], lines[3]]),
            (["--status", "403"], [lines[3]]),
            (["--org-id", "org2"], [lines[1], lines[3]]),
            (["--org-id", "org2", "--route", "accounts"], [lines[3]]),
            (["--software-id", "soft-org1"], [lines[0]]),
            (["--thumbprint", "thumb-org2"], [lines[1], lines[3]]),
            (["--subject", "ou=ORG2"], [lines[1], lines[3]]),
            (["--request-id", "a", "--request-id", "c"], [lines[0], lines[3]]),
            (["--event", "tls_handshake_failed"], [lines[2]]),
            (["--event", "connection_rejected"], [lines[4]]),
            (
                ["--since", "2026-11-30T10:39:08.123Z", "--until", "2026-11-30T10:41:08.123Z"],
                [lines[1], lines[2], lines[3]]
            ),
            (["--since", "2026-11-30T11:00:00Z"], []),
            (["--limit", "2"], [lines[0], lines[1]]),
        ]
        for (arguments, expected) in cases {
            let result = try await Fixture.logs([path, "--json"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(Fixture.lines(result.stdout) == expected, "\(arguments)")
        }
    }

    /// Malformed lines are counted, skipped and reported once at the end, never fatal.
    @Test func malformedLinesAreReportedAtTheEnd() async throws {
        let (path, _) = try Self.writeSampleLog()
        let result = try await Fixture.logs([path, "--status", "5xx"])
        #expect(result.status == 0)
        #expect(result.stderr == "3 malformed lines skipped\n")
        let clean = try Fixture.directory() + "/clean.log"
        try Fixture.json(Self.events).write(toFile: clean, atomically: true, encoding: .utf8)
        let quiet = try await Fixture.logs([clean])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty)
    }

    @Test func tableOutput() async throws {
        let (path, _) = try Self.writeSampleLog()
        let result = try await Fixture.logs([path, "--table", "--limit", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = Fixture.lines(result.stdout)
        #expect(rows.count == 4)
        #expect(rows.first?.hasPrefix("TIME ") == true)
        #expect(rows[1].hasPrefix("2026-11-30T10:38:08.123Z     200       12.500  GET      accounts"))
        #expect(rows[2].contains("upstream_connect_failed"))
        #expect(rows[3].contains("certificate_expired") && rows[3].contains("tls_handshake_failed 198.51.100.7:40000"))
    }

    @Test func summaryAsJSON() async throws {
        let (path, _) = try Self.writeSampleLog()
        let result = try await Fixture.logs([path, "--summary", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["lines"] as? Int == 5)
        #expect(summary["requests"] as? Int == 3)
        let routes = try #require(summary["routes"] as? [[String: Any]])
        #expect(routes.map { $0["route"] as? String } == ["accounts", "payments"])
        #expect(routes.last?["5xx"] as? Int == 1)
        let clients = try #require(summary["top_clients"] as? [[String: Any]])
        #expect(clients.first?["org_id"] as? String == "org2")
        let failures = try #require(summary["tls_handshake_failures"] as? [String: Any])
        #expect((failures["reasons"] as? [String: Int]) == ["certificate_expired": 1])
        #expect(result.stderr == "3 malformed lines skipped\n")

        let text = try await Fixture.logs([path, "--summary", "--route", "payments"])
        #expect(text.stdout.hasPrefix("lines                   1"))
        #expect(text.stdout.contains("P95_MS"))
    }

    /// With `--config` and no files: the configured log and its rotated siblings, oldest first,
    /// plain and gzip'd, without reading the TLS material the file names.
    @Test func configReadsRotatedFilesInAgeOrder() async throws {
        let directory = try Fixture.directory()
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
        let conf = directory + "/gateway.conf"
        try """
        [gateway]
        access_log = "logs/access.log"

        [[listener]]
        name = "mtls"
        private_key = "/nonexistent/server.key"
        """.write(toFile: conf, atomically: true, encoding: .utf8)
        let events = (0..<5).map { Fixture.request(second: $0, requestID: "r\($0)") }
        let names = ["access.log.3", "access.log.2", "access.log.1", "access.log", "access.log.old"]
        for (event, name) in zip(events, names) {
            try Fixture.json([event]).write(toFile: directory + "/logs/" + name, atomically: true, encoding: .utf8)
        }
        try await Fixture.gzip(directory + "/logs/access.log.3")
        try await Fixture.gzip(directory + "/logs/access.log.2")

        let result = try await Fixture.logs(["--config", conf])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Fixture.lines(result.stdout) == events.prefix(4).map { $0.line(format: .json) })

        // Files named explicitly are read as given, compressed or not.
        let explicit = try await Fixture.logs([directory + "/logs/access.log.2.gz", directory + "/logs/access.log.old"])
        #expect(Fixture.lines(explicit.stdout) == [events[1], events[4]].map { $0.line(format: .json) })
    }

    /// The tool reads JSON logs; a combined-format log is refused with one sentence, exit 1.
    @Test func combinedFormatIsRefused() async throws {
        let directory = try Fixture.directory()
        let combined = directory + "/combined.log"
        try Self.events.map { $0.line(format: .combined) + "\n" }.joined().write(
            toFile: combined, atomically: true, encoding: .utf8)
        let result = try await Fixture.logs([combined])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(Fixture.lines(result.stderr).count == 1)
        #expect(result.stderr.contains("combined log format") && result.stderr.contains("JSON"))

        let conf = directory + "/gateway.conf"
        try "[gateway]\naccess_log = \"access.log\"\naccess_log_format = \"combined\"\n".write(
            toFile: conf, atomically: true, encoding: .utf8)
        let configured = try await Fixture.logs(["--config", conf])
        #expect(configured.status == 1)
        #expect(Fixture.lines(configured.stderr).count == 1)
        #expect(configured.stderr.contains(#"access_log_format = "combined""#))

        try "[gateway]\naccess_log = \"stdout\"\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let toStdout = try await Fixture.logs(["--config", conf])
        #expect(toStdout.status == 1)
        #expect(toStdout.stderr.contains("standard output"))
    }

    /// Unreadable files fail up front (nothing printed); a corrupt compressed file is reported
    /// after the readable files were read, and the status is 1.
    @Test func unreadableFiles() async throws {
        let directory = try Fixture.directory()
        let good = directory + "/good.log"
        try Fixture.json([Fixture.request()]).write(toFile: good, atomically: true, encoding: .utf8)
        for path in [directory + "/missing.log", directory] {
            let result = try await Fixture.logs([good, path])
            #expect(result.status == 1, "\(path)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("cannot open \(path)"))
        }

        let big = directory + "/big.log"
        try Fixture.json((0..<2000).map { Fixture.request(second: $0, requestID: "r\($0)") })
            .write(toFile: big, atomically: true, encoding: .utf8)
        try await Fixture.gzip(big)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: big + ".gz"))
        let truncated = directory + "/truncated.log.gz"
        try compressed.prefix(compressed.count / 2).write(to: URL(fileURLWithPath: truncated))
        let result = try await Fixture.logs([truncated, good, "--request-id", "req-1"])
        #expect(result.status == 1)
        #expect(Fixture.lines(result.stdout) == [Fixture.request().line(format: .json)])
        #expect(result.stderr.contains("cannot decompress \(truncated)"))
    }

    @Test func readsStandardInput() async throws {
        let input = Data(Fixture.json(Self.events).utf8)
        let result = try await Fixture.logs(["-", "--event", "request", "--status", "2xx"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Fixture.lines(result.stdout) == [Self.events[0].line(format: .json)])
        // No FILE and no --config: standard input when it is not a terminal.
        let implicit = try await Fixture.logs(["--status", "403"], stdin: input)
        #expect(Fixture.lines(implicit.stdout) == [Self.events[3].line(format: .json)])
    }

    /// Unusable arguments: one sentence on stderr, exit 1, nothing read.
    @Test(arguments: [
        (["--status", "6xx"], "--status"),
        (["--since", "yesterday"], "--since"),
        (["--since", "1m", "--until", "2h"], "--since is later than --until"),
        (["--json", "--table"], "cannot be combined"),
        (["--limit", "0"], "--limit"),
        (["--summary", "--table"], "--summary"),
    ])
    func badArguments(arguments: [String], message: String) async throws {
        let result = try await Fixture.logs(["/nonexistent.log"] + arguments)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
