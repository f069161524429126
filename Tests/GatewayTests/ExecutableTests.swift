import Foundation
import Testing

/// The `mtls-gateway` executable as an operator uses it: the README quickstart, start-up
/// validation, signals (graceful drain on SIGTERM/SIGINT, access-log reopen on SIGUSR1).
@Suite("executable", .timeLimit(.minutes(2)))
struct ExecutableTests {
    static let gateway = ExecutableGateway.binary("mtls-gateway")

    /// `ob-sandbox pki init --out pki`, the example configuration with only its two addresses moved
    /// to port 0, and the gateway serves: no AS runs, so discovery is a gateway-made 502.
    @Test func readmeQuickstart() async throws {
        let directory = try ExecutableConfiguration.makeDirectory("quickstart")
        let pkiInit = try await ExecutableCommand.run(ExecutableGateway.binary("ob-sandbox"), ["pki", "init", "--out", "pki"], in: directory)
        try #require(pkiInit.status == 0, "\(pkiInit.stderr)")

        let example = try String(contentsOfFile: ExecutableGateway.packageRoot + "/gateway.conf.example", encoding: .utf8)
        let conf = Self.movingAddressesToPortZero(example)
        let changed = zip(example.split(separator: "\n", omittingEmptySubsequences: false), conf.split(separator: "\n", omittingEmptySubsequences: false))
            .filter { $0 != $1 }
        #expect(changed.count == 2, "only the listener and admin addresses change: \(changed)")
        let confPath = directory + "/gateway.conf"
        try conf.write(toFile: confPath, atomically: true, encoding: .utf8)

        let check = try await ExecutableCommand.run(Self.gateway, ["check-config", confPath])
        #expect(check.status == 0, "\(check.stderr)")
        for expected in ["listeners:", "mtls  127.0.0.1:0", "routes (match order):", "discovery", "registration", "upstreams:", "authorization-server  http://127.0.0.1:9000", "configuration OK"] {
            #expect(check.stdout.contains(expected), "check-config prints \(expected)")
        }

        // Started from another working directory: relative paths resolve against the file's folder.
        let process = try ExecutableGateway.start(confPath: confPath, directory: NSTemporaryDirectory())
        let port = try await process.listenerPort()
        let answer = try await ExecutableCommand.run("/usr/bin/curl", [
            "-sS", "--max-time", "10", "-w", "\n%{http_code}",
            "--cacert", directory + "/pki/root-ca.pem",
            "--cert", directory + "/pki/tpp-transport.pem", "--key", directory + "/pki/tpp-transport.key",
            "--resolve", "localhost:\(port):127.0.0.1",
            "https://localhost:\(port)/.well-known/openid-configuration",
        ])
        let lines = answer.stdout.split(separator: "\n")
        // The example's upstream is 127.0.0.1:9000. Normally nothing listens there and the gateway
        // answers 502 itself; on a machine where an authorization server happens to run there, the
        // request reaching it proves the same thing.
        let status = lines.last.map(String.init) ?? ""
        #expect(status == "502" || status == "200", "\(answer.stdout) \(answer.stderr)")
        if status == "502" {
            let body = try #require(lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            #expect(body["error"] as? String == "upstream_connect_failed")
            #expect(body["request_id"] is String)
        }

        process.send(SIGTERM)
        #expect(await process.waitForExit() == 0)
        let log = try String(contentsOfFile: directory + "/logs/access.log", encoding: .utf8)
        #expect(log.contains(#""path":"/.well-known/openid-configuration""#))
        #expect(log.contains(#""route":"discovery""#))
        #expect(log.contains(#""status":\#(status)"#))
    }

    /// Rewrites the values of the two `address = "…"` lines (listener and admin) to 127.0.0.1:0.
    static func movingAddressesToPortZero(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("address = \""), let close = line.dropFirst(11).firstIndex(of: "\"") else { return String(line) }
            return #"address = "127.0.0.1:0""# + line[line.index(after: close)...]
        }.joined(separator: "\n")
    }

    /// Every problem of a bad file is listed with its key path, and nothing is bound.
    @Test func badConfigurationIsRefusedBeforeBinding() async throws {
        let directory = try ExecutableConfiguration.makeDirectory("badconf")
        let pki = TestPKI.directory
        let bad = """
            [gateway]
            acces_log = "access.log"
            access_log_format = "xml"

            [admin]
            address = "127.0.0.1:0"

            [[listener]]
            name = "mtls"
            address = "127.0.0.1:0"
            certificate_chain = "\(pki)/server-chain.pem"
            private_key = "\(pki)/server.key"
            client_certificate = "sometimes"
            trust_roots = ["missing-root.pem"]

            [[listener]]
            name = "second"
            address = "localhost"
            certificate_chain = "\(pki)/server-chain.pem"
            private_key = "\(pki)/server.key"
            trust_roots = ["\(pki)/root-ca.pem"]

            [[upstream]]
            name = "backend"
            servers = ["http://127.0.0.1:9"]

            [[upstream]]
            name = "backend"
            servers = ["http://127.0.0.1:10"]

            [[route]]
            name = "api"
            path_prefix = "/"
            upstream = "nowhere"
            """
        try bad.write(toFile: directory + "/bad.conf", atomically: true, encoding: .utf8)
        let expected = [
            "gateway.acces_log: unknown key",
            #"gateway.access_log_format: unknown value "xml""#,
            #"listener[0] "mtls".client_certificate: unknown value "sometimes""#,
            #"listener[0] "mtls".trust_roots[0]: cannot read"#,
            "missing-root.pem",
            #"listener[1] "second".address:"#,
            #"upstream[1] "backend".name: duplicate name"#,
            #"route[0] "api".upstream: no upstream named "nowhere""#,
        ]
        try await Self.expectRefused(directory + "/bad.conf", listing: expected)

        // A syntax error in a second file is reported with that file's name and line.
        try "[gateway]\ndrain_timeout = \"5s\"\n[[listener]\nname = \"x\"\n".write(toFile: directory + "/second.conf", atomically: true, encoding: .utf8)
        try await Self.expectRefused(directory + "/second.conf", listing: ["second.conf:3:"])

        // A configuration file that does not exist.
        try await Self.expectRefused(directory + "/missing.conf", listing: ["cannot read", "missing.conf", "No such file or directory"])
    }

    /// `run` and `check-config` both exit 1, list each expected fragment on stderr, and `run`
    /// never reaches "listening".
    static func expectRefused(_ confPath: String, listing expected: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let run = try ExecutableGateway.start(confPath: confPath)
        let status = await run.waitForExit()
        #expect(status == 1, "run exits 1", sourceLocation: sourceLocation)
        let check = try await ExecutableCommand.run(Self.gateway, ["check-config", confPath])
        #expect(check.status == 1, "check-config exits 1", sourceLocation: sourceLocation)
        for output in [run.stderr, check.stderr] {
            for fragment in expected {
                #expect(output.contains(fragment), "stderr lists \(fragment):\n\(output)", sourceLocation: sourceLocation)
            }
            #expect(!output.contains("listening"), sourceLocation: sourceLocation)
            #expect(!output.contains("admin listener started"), sourceLocation: sourceLocation)
        }
    }

    /// SIGTERM and SIGINT drain: `/readyz` turns 503 while an in-flight download finishes, then
    /// the process exits 0.
    @Test(arguments: [SIGTERM, SIGINT])
    func signalDrainsAndExitsZero(signal: Int32) async throws {
        let upstream = try await RecordingUpstream.start()
        let confPath = try ExecutableConfiguration.write(upstreamPort: upstream.port, gatewayExtra: #"drain_timeout = "30s""#)
        let process = try ExecutableGateway.start(confPath: confPath)
        let port = try await process.listenerPort()
        let adminPort = try await process.adminPort()
        #expect(try await ExecutableConfiguration.adminGet(port: adminPort, path: "/readyz").status == 200)
        let (idle, handshake) = try await ExecutableTLSClient.connectTLS(port: port)
        #expect(handshake == .completed)

        // 48 MiB at 16 MiB/s: the download spans the start of the drain by about three seconds.
        let download = Task {
            try await Curl.run(port: port, path: "/download?bytes=\(48 << 20)", extra: ["-o", "/dev/null", "--limit-rate", "16M"])
        }
        await upstream.waitForRequests(1)
        let signalled = ContinuousClock.now
        process.send(signal)
        _ = try await process.waitForLog("draining")
        let ready = try await ExecutableConfiguration.adminGet(port: adminPort, path: "/readyz")
        #expect(ready.status == 503)
        #expect(ready.body.contains("draining"))
        // An idle connection is closed at once; only the in-flight request holds the drain open.
        await idle.closed()
        #expect(ContinuousClock.now - signalled < .seconds(10), "closed by the drain, not by drain_timeout")

        let result = try await download.value
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 200)
        #expect(await process.waitForExit() == 0, "\(process.stderr)")
        let log = try String(contentsOfFile: ExecutableConfiguration.directory(of: confPath) + "/access.log", encoding: .utf8)
        #expect(log.contains(#""bytes_sent":\#(48 << 20)"#), "the drained request was logged before exit")
        await upstream.stop()
    }

    /// logrotate's protocol: rename the file, send SIGUSR1; later lines go to a fresh file.
    @Test func sigusr1ReopensTheAccessLog() async throws {
        let upstream = try await RecordingUpstream.start()
        let confPath = try ExecutableConfiguration.write(upstreamPort: upstream.port)
        let directory = ExecutableConfiguration.directory(of: confPath)
        let process = try ExecutableGateway.start(confPath: confPath)
        let port = try await process.listenerPort()

        #expect(try await Curl.run(port: port, path: "/before-rotation").status == 200)
        try FileManager.default.moveItem(atPath: directory + "/access.log", toPath: directory + "/access.log.1")
        process.send(SIGUSR1)
        _ = try await process.waitForLog("access log reopened")
        #expect(try await Curl.run(port: port, path: "/after-rotation").status == 200)

        process.send(SIGTERM)
        #expect(await process.waitForExit() == 0)
        let rotated = try String(contentsOfFile: directory + "/access.log.1", encoding: .utf8)
        let fresh = try String(contentsOfFile: directory + "/access.log", encoding: .utf8)
        #expect(rotated.contains("/before-rotation"))
        #expect(!rotated.contains("/after-rotation"))
        #expect(fresh.contains("/after-rotation"))
        #expect(!fresh.contains("/before-rotation"))
        await upstream.stop()
    }

    /// With `access_log = "stdout"` there is nothing to reopen, but `SIGUSR1` (whose default action
    /// is to terminate) must still be harmless.
    @Test func sigusr1WithStdoutAccessLogKeepsServing() async throws {
        let upstream = try await RecordingUpstream.start()
        let confPath = try ExecutableConfiguration.write(upstreamPort: upstream.port, accessLog: "stdout")
        let process = try ExecutableGateway.start(confPath: confPath)
        let port = try await process.listenerPort()
        process.send(SIGUSR1)
        #expect(try await Curl.run(port: port, path: "/after-signal").status == 200)
        process.send(SIGTERM)
        #expect(await process.waitForExit() == 0, "\(process.stderr)")
        await upstream.stop()
    }
}
