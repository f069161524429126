import Foundation
import Testing

/// Connection-level behaviour on loopback: `max_connections`, listener TLS settings
/// (`client_certificate = "none"`, `tls_min_version`), the idle and handshake timers, and what
/// the access log must never contain.
@Suite("connection limits and timers", .timeLimit(.minutes(2)))
struct ConnectionLimitTests {
    static let routes = """
        [[route]]
        name = "api"
        path_prefix = "/"
        upstream = "backend"
        """

    static func start(
        listenerMode: String = "optional",
        gatewayExtra: String = "",
        listenerExtra: String = "",
        admin: Bool = false,
        upstream: RecordingUpstream
    ) async throws -> GatewayHarness {
        try await GatewayHarness.start(
            listenerMode: listenerMode,
            gatewayExtra: gatewayExtra,
            listenerExtra: listenerExtra,
            upstreams: GatewayHarness.upstreamTOML(port: upstream.port),
            routes: Self.routes,
            admin: admin
        )
    }

    /// The value of an unlabelled metric in a Prometheus exposition.
    static func metric(_ name: String, in exposition: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Waits until the gateway counts `count` open connections (the server notices a client's
    /// close a moment after the client does; there is no event to await from outside).
    static func waitForOpenConnections(_ count: Int, in gateway: GatewayHarness) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.metric("mtls_gateway_open_connections", in: gateway.application.metrics.exposition()) != Double(count) {
            try #require(ContinuousClock.now < deadline, "open connections never reached \(count)")
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func fourthConnectionIsRefusedWithoutHandshake() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await Self.start(gatewayExtra: "max_connections = 3", admin: true, upstream: upstream)
        let adminPort = try #require(gateway.adminPort)

        var clients: [ExecutableTLSClient] = []
        for _ in 0..<3 {
            let (client, outcome) = try await ExecutableTLSClient.connectTLS(port: gateway.port)
            #expect(outcome == .completed)
            clients.append(client)
        }
        let (refused, outcome) = try await ExecutableTLSClient.connectTLS(port: gateway.port)
        #expect(outcome != .completed, "the fourth connection is closed before any handshake")
        await refused.closed()

        let scrape = try await ExecutableConfiguration.adminGet(port: adminPort, path: "/metrics")
        #expect(Self.metric("mtls_gateway_connections_rejected_total", in: scrape.body) == 1, "\(scrape.body)")
        #expect(Self.metric("mtls_gateway_open_connections", in: scrape.body) == 3)

        // Closing one frees a slot: a new connection completes its handshake and is served.
        await clients.removeFirst().close()
        try await Self.waitForOpenConnections(2, in: gateway)
        let (again, againOutcome) = try await ExecutableTLSClient.connectTLS(port: gateway.port)
        #expect(againOutcome == .completed)
        await again.close()
        try await Self.waitForOpenConnections(2, in: gateway)
        let served = try await Curl.run(port: gateway.port, path: "/hello")
        #expect(served.status == 200)

        for client in clients { await client.close() }
        try await gateway.stop()
        await upstream.stop()
    }

    /// `client_certificate = "none"`: no CertificateRequest, so a client that has a certificate is
    /// served without identity and the upstream is told so.
    @Test func listenerWithoutClientCertificates() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await Self.start(listenerMode: "none", upstream: upstream)
        let result = try await Curl.run(port: gateway.port, path: "/no-identity", certificate: .transport)
        #expect(result.status == 200, "\(result.stderr)")
        let request = try #require(upstream.requests.last)
        #expect(request.header("X-Client-Cert-Verify") == "NONE")
        #expect(request.header("Client-Cert") == nil)
        #expect(request.header("X-Client-Cert-Subject-DN") == nil)
        let lines = try await gateway.accessLogLines()
        #expect(lines.last?["client_verify"] as? String == "NONE")
        try await gateway.stop()
        await upstream.stop()
    }

    /// `tls_min_version = "1.3"`: a TLS 1.2-only client fails the handshake, and the failure is logged.
    @Test func tls13OnlyListenerRefusesTLS12() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await Self.start(listenerExtra: #"tls_min_version = "1.3""#, upstream: upstream)
        let old = try await Curl.run(port: gateway.port, path: "/", extra: ["--tls-max", "1.2"])
        #expect(old.exitCode != 0)
        #expect(old.status == 0)
        let modern = try await Curl.run(port: gateway.port, path: "/", extra: ["--tlsv1.3"])
        #expect(modern.status == 200)
        let lines = try await gateway.accessLogLines()
        let failure = try #require(lines.first { $0["event"] as? String == "tls_handshake_failed" }, "\(lines)")
        #expect(failure["reason"] as? String == "unsupported_protocol_version")
        #expect(failure["listener"] as? String == "mtls")
        #expect(upstream.requests.count == 1)
        try await gateway.stop()
        await upstream.stop()
    }

    /// An idle keep-alive connection is closed by the gateway after `idle_timeout`: the
    /// `s_client` below would wait 30 s for more input, but exits as soon as the server closes.
    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await Self.start(gatewayExtra: #"idle_timeout = "300ms""#, upstream: upstream)
        let started = ContinuousClock.now
        let client = try await ExecutableCommand.run(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-servername", "localhost", "-quiet",
             "-CAfile", TestPKI.path("root-ca.pem")],
            stdin: Data("GET /keep HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n".utf8),
            keepStdinOpenFor: 30
        )
        let elapsed = ContinuousClock.now - started
        #expect(client.stdout.contains("HTTP/1.1 200"), "\(client.stdout)\n\(client.stderr)")
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(10), "closed by idle_timeout, not by the client (\(elapsed))")
        try await gateway.stop()
        await upstream.stop()
    }

    /// A TCP client that never starts TLS is closed after `handshake_timeout`; plain HTTP on the
    /// TLS port is refused with its own reason; clients that close before finishing a ClientHello
    /// are logged, and none of it harms the process (each of these once crashed it).
    @Test func handshakeTimeoutPlainHTTPAndEarlyClose() async throws {
        let upstream = try await RecordingUpstream.start()
        // Long enough that the clients below finish sending on a loaded machine, short for the test.
        let gateway = try await Self.start(gatewayExtra: #"handshake_timeout = "1500ms""#, upstream: upstream)

        let started = ContinuousClock.now
        let silent = try await ExecutableTLSClient.connectTCP(port: gateway.port)
        await silent.closed()
        #expect(ContinuousClock.now - started >= .milliseconds(1500))

        let plain = try await ExecutableTLSClient.connectTCP(port: gateway.port, sending: "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        await plain.closed()

        let empty = try await ExecutableTLSClient.connectTCP(port: gateway.port)
        await empty.close()
        // The first bytes of a TLS record header, then gone.
        let partial = try await ExecutableTLSClient.connectTCP(port: gateway.port, sending: "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}")
        await partial.close()

        let failures = try await Self.waitForHandshakeFailures(4, in: gateway)
        let reasons = failures.compactMap { $0["reason"] as? String }
        #expect(reasons.filter { $0 == "handshake_timeout" }.count == 1, "\(failures)")
        #expect(reasons.filter { $0 == "plain_http_on_tls_port" }.count == 1)
        #expect(reasons.filter { $0 == "connection_closed_during_handshake" }.count == 2)
        #expect(failures.allSatisfy { $0["listener"] as? String == "mtls" })
        #expect(upstream.requests.isEmpty)
        #expect(try await Curl.run(port: gateway.port, path: "/still-serving").status == 200)
        try await gateway.stop()
        await upstream.stop()
    }

    /// Waits until the access log holds `count` handshake-failure lines (the server logs a close
    /// when it notices it, a moment after the client closed) and returns them.
    static func waitForHandshakeFailures(_ count: Int, in gateway: GatewayHarness) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let failures = try await gateway.accessLogLines().filter { $0["event"] as? String == "tls_handshake_failed" }
            if failures.count >= count || ContinuousClock.now > deadline { return failures }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Credentials and certificates in requests never reach the access log, whatever the outcome.
    @Test func accessLogHoldsNoSecrets() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await Self.start(upstream: upstream)
        let pem = try String(contentsOfFile: TestPKI.path("tpp-transport.pem"), encoding: .utf8)
        let escapedPEM = pem.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let secrets = [
            "Authorization: Bearer s3cr3t-bearer-token",
            "Proxy-Authorization: Basic cHJveHk6c2VjcmV0LXByb3h5",
            "Cookie: session=c00kie-session-value",
            "X-SSL-Client-Cert: \(escapedPEM)",
            "X-Forwarded-Client-Cert: Cert=\"\(escapedPEM)\"",
        ]
        let served = try await Curl.run(port: gateway.port, path: "/api?access_token=qu3ry-token", headers: secrets)
        #expect(served.status == 200)
        #expect(upstream.requests.last?.header("Authorization") == "Bearer s3cr3t-bearer-token", "forwarded, only not logged")
        let refused = try await Curl.run(port: gateway.port, path: "/../etc", headers: secrets, extra: ["--path-as-is"])
        #expect(refused.status == 400)
        let anonymous = try await Curl.run(port: gateway.port, path: "/anon", certificate: .none, headers: secrets)
        #expect(anonymous.status == 200)

        _ = try await gateway.accessLogLines()
        let log = try String(contentsOfFile: gateway.accessLogPath, encoding: .utf8)
        #expect(log.split(separator: "\n").count == 3)
        Self.expectNoSecrets(in: log)
        try await gateway.stop()

        // The combined format too (the executable, since the harness writes JSON).
        let confPath = try ExecutableConfiguration.write(upstreamPort: upstream.port, gatewayExtra: #"access_log_format = "combined""#)
        let process = try ExecutableGateway.start(confPath: confPath)
        let port = try await process.listenerPort()
        #expect(try await Curl.run(port: port, path: "/api?access_token=qu3ry-token", headers: secrets).status == 200)
        #expect(try await Curl.run(port: port, path: "/anon", certificate: .none, headers: secrets).status == 200)
        process.send(SIGTERM)
        #expect(await process.waitForExit() == 0)
        let combined = try String(contentsOfFile: ExecutableConfiguration.directory(of: confPath) + "/access.log", encoding: .utf8)
        #expect(combined.split(separator: "\n").count == 2)
        Self.expectNoSecrets(in: combined)
        await upstream.stop()
    }

    static func expectNoSecrets(in log: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for forbidden in ["s3cr3t", "c2VjcmV0", "c00kie", "qu3ry", "BEGIN", "CERTIFICATE", "authorization", "cookie"] {
            #expect(!log.lowercased().contains(forbidden.lowercased()), "the access log contains \(forbidden)", sourceLocation: sourceLocation)
        }
    }
}
