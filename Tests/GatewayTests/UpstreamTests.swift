import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

@testable import Gateway

/// The upstream side of the proxy, asserted on exactly what the upstream received: keep-alive
/// pooling, round robin, passive health, stale pooled connections, TLS and mTLS to the upstream,
/// Host and path rewriting, response header hygiene, request ids, broken upstreams and HEAD.
@Suite("upstream", .timeLimit(.minutes(1)))
struct UpstreamTests {
    typealias Client = UpstreamTestsClient
    typealias Conf = UpstreamTestConfiguration

    // MARK: 1. pooling and round robin

    @Test func keepAliveRequestsShareOneUpstreamConnection() async throws {
        let server = try await UpstreamTestServer.start()
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, (1...5).map { .get("/items/\($0)") })

        #expect(responses.map(\.status) == [200, 200, 200, 200, 200])
        #expect(responses.map(\.body) == ["ok", "ok", "ok", "ok", "ok"])
        #expect(server.connectionCount == 1, "every request reused the pooled connection")
        #expect(server.requests.map(\.head.uri) == (1...5).map { "/items/\($0)" })
        #expect(server.requests.map(\.connection) == [1, 1, 1, 1, 1])
        #expect(server.requests.map(\.sequence) == [1, 2, 3, 4, 5])
        try await gateway.stop()
        await server.stop()
    }

    @Test func roundRobinAlternatesAcrossServers() async throws {
        let first = try await UpstreamTestServer.start { _ in .response(body: "first") }
        let second = try await UpstreamTestServer.start { _ in .response(body: "second") }
        let gateway = try await GatewayHarness.start(
            upstreams: Conf.upstream(servers: ["http://127.0.0.1:\(first.port)", "http://127.0.0.1:\(second.port)"]),
            routes: Conf.catchAll
        )
        let responses = try await Client.exchange(port: gateway.port, (1...6).map { .get("/rr/\($0)") })

        #expect(responses.map(\.status) == Array(repeating: 200, count: 6))
        let bodies = responses.map(\.body)
        #expect(Set(bodies) == ["first", "second"])
        for index in 1..<bodies.count {
            #expect(bodies[index] != bodies[index - 1], "requests alternate: \(bodies)")
        }
        #expect(first.requests.count == 3)
        #expect(second.requests.count == 3)
        #expect(first.connectionCount == 1, "each server's connection is pooled and reused")
        #expect(second.connectionCount == 1)
        try await gateway.stop()
        await first.stop()
        await second.stop()
    }

    // MARK: 2. passive health

    @Test func deadServerIsRetriedOnTheNextThenSkipped() async throws {
        let alive = try await UpstreamTestServer.start()
        let dead = try FreePort.reserve()
        let gateway = try await GatewayHarness.start(
            upstreams: Conf.upstream(servers: ["http://127.0.0.1:\(dead)", "http://127.0.0.1:\(alive.port)"]),
            routes: Conf.catchAll
        )
        let responses = try await Client.exchange(port: gateway.port, (1...4).map { .get("/health/\($0)") })

        #expect(responses.map(\.status) == [200, 200, 200, 200], "the connect failure was retried on the live server")
        #expect(alive.requests.map(\.head.uri) == (1...4).map { "/health/\($0)" })
        let metrics = gateway.application.metrics.exposition()
        #expect(metrics.contains(Conf.failures(kind: "connect_failed") + " 1"), "one failure, then the dead server is skipped")
        let lines = try await gateway.accessLogLines()
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0["status"] as? Int == 200 && !($0["error"] is String) })
        try await gateway.stop()
        await alive.stop()
    }

    // MARK: 3. stale pooled connections

    @Test func connectionClosedWhileIdleIsNotReused() async throws {
        // The upstream closes each connection right after its response, without announcing it.
        let server = try await UpstreamTestServer.start { _ in .response().thenClose() }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [
            .get("/first"),
            .get("/second", before: { await server.waitForClosedConnections(1) }),
            .get("/third", before: { await server.waitForClosedConnections(2) }),
        ])

        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(server.requests.map(\.connection) == [1, 2, 3])
        #expect(server.requests.map(\.sequence) == [1, 1, 1])
        try await gateway.stop()
        await server.stop()
    }

    @Test func stalePooledConnectionIsRetriedOnceOnAFreshOne() async throws {
        // A reused connection closes as the request arrives (the idle-close race, made certain).
        let server = try await UpstreamTestServer.start { request in
            request.sequence == 2 ? .hangUp : .response(body: "fresh")
        }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [.get("/one"), .get("/two"), .get("/three")])

        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(responses.map(\.body) == ["fresh", "fresh", "fresh"])
        let seen = server.requests.map { "\($0.head.uri) \($0.connection).\($0.sequence)" }
        #expect(seen == ["/one 1.1", "/two 1.2", "/two 2.1", "/three 2.2", "/three 3.1"])
        // The retry is the same request: same id, same headers, complete (the end was re-sent).
        let attempts = server.requests.filter { $0.head.uri == "/two" }
        try #require(attempts.count == 2)
        #expect(attempts[0].header("x-request-id") == attempts[1].header("x-request-id"))
        #expect(responses[1].header("x-request-id") == attempts[1].header("x-request-id"))
        #expect(gateway.application.metrics.exposition().contains("mtls_gateway_upstream_failures_total") == false)
        try await gateway.stop()
        await server.stop()
    }

    @Test func retriedRequestStillGetsItsResponseTimeout() async throws {
        let server = try await UpstreamTestServer.start { request in
            request.sequence == 2 ? .hangUp : request.head.uri == "/slow" ? .silence : .response()
        }
        let gateway = try await GatewayHarness.start(
            upstreams: Conf.upstream(servers: ["http://127.0.0.1:\(server.port)"], responseTimeout: "3s"),  // roomy for a loaded machine
            routes: Conf.catchAll
        )
        let responses = try await Client.exchange(port: gateway.port, [.get("/warm"), .get("/slow")])

        #expect(responses.map(\.status) == [200, 504])
        #expect(responses[1].body.contains("\"error\":\"upstream_timeout\""))
        #expect(server.requests.map { "\($0.head.uri) \($0.connection).\($0.sequence)" } == ["/warm 1.1", "/slow 1.2", "/slow 2.1"])
        try await gateway.stop()
        await server.stop()
    }

    @Test func nonIdempotentRequestIsNotRetried() async throws {
        let server = try await UpstreamTestServer.start { request in
            request.sequence == 2 ? .hangUp : .response()
        }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [
            .get("/warm"),
            .get("/payments", method: "POST", headers: ["Content-Length: 0"]),
            .get("/after"),
        ])

        #expect(responses.map(\.status) == [200, 502, 200])
        #expect(responses[1].body.contains("\"error\":\"upstream_reset\""))
        #expect(server.requests.filter { $0.head.uri == "/payments" }.count == 1, "RFC 9110 §9.2.2: never replayed")
        try await gateway.stop()
        await server.stop()
    }

    @Test func upstreamConnectionCloseIsHonoured() async throws {
        let server = try await UpstreamTestServer.start { _ in .response(headers: [("Connection", "close")]).thenClose() }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, (1...3).map { .get("/c/\($0)") })

        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(responses.allSatisfy { $0.header("connection") == nil }, "the downstream connection stays open")
        #expect(server.requests.map(\.connection) == [1, 2, 3])
        try await gateway.stop()
        await server.stop()
    }

    // MARK: 4. TLS to the upstream

    @Test func httpsUpstreamVerifiedAgainstConfiguredRoots() async throws {
        let server = try await Conf.tlsServer()
        let gateway = try await GatewayHarness.start(upstreams: Conf.tlsUpstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [.get("/secure/1"), .get("/secure/2")])

        #expect(responses.map(\.status) == [200, 200])
        #expect(server.requests.map(\.head.uri) == ["/secure/1", "/secure/2"])
        #expect(server.requests.allSatisfy { $0.peerCertificate == nil }, "no client certificate configured")
        #expect(server.connectionCount == 1, "TLS connections are pooled too")
        try await gateway.stop()
        await server.stop()
    }

    @Test func gatewayPresentsItsClientCertificateToTheUpstream() async throws {
        let server = try await Conf.tlsServer(requireClientCertificate: true)
        let gateway = try await GatewayHarness.start(
            upstreams: Conf.tlsUpstream(server, clientCertificate: true),
            routes: Conf.catchAll
        )
        let responses = try await Client.exchange(port: gateway.port, [.get("/mtls")])

        #expect(responses.map(\.status) == [200])
        let expected = try NIOSSLCertificate.fromPEMFile(TestPKI.path("tpp-transport.pem"))[0].toDERBytes()
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.peerCertificate == expected, "the upstream verified the gateway's certificate")
        try await gateway.stop()
        await server.stop()
    }

    @Test func untrustedUpstreamCertificateIsAConnectFailure() async throws {
        let server = try await Conf.tlsServer()
        let gateway = try await GatewayHarness.start(
            upstreams: Conf.tlsUpstream(server, trustRoot: "other-root-ca.pem"),
            routes: Conf.catchAll
        )
        let responses = try await Client.exchange(port: gateway.port, [.get("/untrusted")])

        let response = try #require(responses.first)
        #expect(response.status == 502)
        #expect(response.body.contains("\"error\":\"upstream_connect_failed\""))
        for leak in ["certificate", "handshake", "ssl", "tls", "verify", "boring"] {
            #expect(!response.raw.lowercased().contains(leak), "TLS error text must not reach the client")
        }
        #expect(server.requests.isEmpty, "no request byte was sent to an unverified server")
        #expect(gateway.application.metrics.exposition().contains(Conf.failures(kind: "connect_failed") + " 1"))
        try await gateway.stop()
        await server.stop()
    }

    @Test(arguments: [("127.0.0.1", nil), ("127.0.0.1", "localhost"), ("localhost", "localhost")] as [(String, String?)])
    func upstreamNameIsVerifiedForAddressesAndServerNames(host: String, serverName: String?) async throws {
        let server = try await Conf.tlsServer()
        var tls = "[upstream.tls]\ntrust_roots = [\"\(TestPKI.path("root-ca.pem"))\"]\n"
        if let serverName { tls += "server_name = \"\(serverName)\"\n" }
        let gateway = try await GatewayHarness.start(
            upstreams: Conf.upstream(servers: ["https://\(host):\(server.port)"], extra: tls),
            routes: Conf.catchAll
        )
        let responses = try await Client.exchange(port: gateway.port, [.get("/named")])

        #expect(responses.map(\.status) == [200])
        #expect(server.requests.count == 1)
        try await gateway.stop()
        await server.stop()
    }

    @Test func stalledTLSHandshakeIsAConnectTimeout() async throws {
        let server = try await UpstreamTestServer.start(mute: true)
        let upstream = Conf.tlsUpstream(server, connectTimeout: "300ms")
        let gateway = try await GatewayHarness.start(upstreams: upstream, routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [.get("/stalled")])

        #expect(responses.map(\.status) == [504], "connect_timeout covers TCP and TLS")
        #expect(responses.first?.body.contains("\"error\":\"upstream_connect_timeout\"") == true)
        #expect(server.connectionCount == 1)
        #expect(gateway.application.metrics.exposition().contains(Conf.failures(kind: "connect_timeout") + " 1"))
        try await gateway.stop()
        await server.stop()
    }

    // MARK: 5. Host and path

    @Test func hostIsPreservedOrReplacedAndPrefixRewritten() async throws {
        let server = try await UpstreamTestServer.start()
        let routes = """
            [[route]]
            name = "keep"
            path_prefix = "/keep"
            upstream = "backend"

            [[route]]
            name = "swap"
            path_prefix = "/swap"
            upstream = "backend"
            preserve_host = false

            [[route]]
            name = "rewrite"
            path_prefix = "/v1/api"
            upstream = "backend"
            rewrite_prefix = "/internal"
            """
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: routes)
        let responses = try await Client.exchange(port: gateway.port, [
            .get("/keep/a", headers: ["Host: localhost:8443"]),
            .get("/swap/b", headers: ["Host: localhost:8443"]),
            .get("/v1/api/accounts?limit=2"),
            .get("/v1/api"),
        ])

        #expect(responses.map(\.status) == [200, 200, 200, 200])
        let received = server.requests
        try #require(received.count == 4)
        #expect(received.map(\.head.uri) == ["/keep/a", "/swap/b", "/internal/accounts?limit=2", "/internal"])
        #expect(received[0].head.headers["host"] == ["localhost:8443"], "default: the client's Host")
        #expect(received[1].head.headers["host"] == ["127.0.0.1:\(server.port)"], "preserve_host = false: the server's")
        #expect(received[2].head.headers["host"] == ["localhost"])
        try await gateway.stop()
        await server.stop()
    }

    // MARK: 6. response headers and request ids

    @Test func hopByHopResponseHeadersAreRemoved() async throws {
        let server = try await UpstreamTestServer.start { _ in
            .response(headers: [
                ("Connection", "keep-alive, X-Hop-Secret"),
                ("Keep-Alive", "timeout=5"),
                ("X-Hop-Secret", "internal"),
                ("Proxy-Connection", "keep-alive"),
                ("Proxy-Authenticate", "Basic realm=\"internal\""),
                ("Trailer", "X-Checksum"),
                ("TE", "trailers"),
                ("X-Request-Id", "made-up-by-upstream"),
                ("X-Kept", "yes"),
            ])
        }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let response = try #require(try await Client.exchange(port: gateway.port, [.get("/h")]).first)

        #expect(response.status == 200)
        #expect(response.body == "ok")
        for name in ["connection", "keep-alive", "x-hop-secret", "proxy-connection", "proxy-authenticate", "trailer", "te"] {
            #expect(!response.headerNames.contains(name), "\(name) must not reach the client")
        }
        #expect(response.header("x-kept") == "yes")
        #expect(response.headerNames.filter { $0 == "x-request-id" }.count == 1)
        #expect(response.header("x-request-id") == server.requests.first?.header("x-request-id"))
        try await gateway.stop()
        await server.stop()
    }

    @Test func requestIDsAreKeptWhenWellFormedAndReplacedOtherwise() async throws {
        let server = try await UpstreamTestServer.start()
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let longest = String(repeating: "k", count: 128)
        let inbound: [String?] = [nil, "tpp-4f2a.9_b:1", longest, "has spaces in it", String(repeating: "a", count: 200), "quote\"d"]
        let responses = try await Client.exchange(port: gateway.port, inbound.map { id in
            .get("/id", headers: id.map { ["X-Request-Id: \($0)"] } ?? [])
        })

        let received = server.requests
        try #require(received.count == inbound.count)
        for (index, id) in inbound.enumerated() {
            let upstreamIDs = received[index].head.headers["x-request-id"]
            #expect(upstreamIDs.count == 1, "exactly one id upstream")
            let upstreamID = upstreamIDs.first ?? ""
            #expect(responses[index].header("x-request-id") == upstreamID, "the client sees the id the upstream got")
            switch index {
            case 1, 2:
                #expect(upstreamID == id, "a well-formed id is kept end to end")
            default:
                #expect(upstreamID != id)
                #expect(upstreamID.count == 32 && upstreamID.allSatisfy(\.isHexDigit), "replaced by a generated id: \(upstreamID)")
            }
        }
        try await gateway.stop()
        await server.stop()
    }

    // MARK: 7. malformed responses

    @Test func garbageFromTheUpstreamIsABadResponse() async throws {
        let server = try await UpstreamTestServer.start { request in
            request.head.uri.hasPrefix("/garbage") ? .raw("SSH-2.0-OpenSSH_9.6 not http at all\r\n\r\n") : .response()
        }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [
            .get("/ok"),
            .get("/garbage/pooled"),
            .get("/ok"),
            .get("/garbage/fresh"),
            .get("/ok"),
        ])

        #expect(responses.map(\.status) == [200, 502, 200, 502, 200], "the gateway keeps serving")
        for response in [responses[1], responses[3]] {
            #expect(response.body.contains("\"error\":\"upstream_bad_response\""))
            #expect(!response.raw.contains("SSH"), "upstream bytes never reach the client")
        }
        #expect(server.requests.filter { $0.head.uri.hasPrefix("/garbage") }.count == 2, "an answered request is never replayed")
        #expect(gateway.application.metrics.exposition().contains(Conf.failures(kind: "bad_response") + " 2"))
        let lines = try await gateway.accessLogLines()
        #expect(lines.filter { $0["error"] as? String == "upstream_bad_response" && $0["status"] as? Int == 502 }.count == 2)
        try await gateway.stop()
        await server.stop()
    }

    @Test func interimAndCloseDelimitedResponsesAreRelayed() async throws {
        let server = try await UpstreamTestServer.start { request in
            switch request.head.uri {
            case "/early-hints":
                UpstreamTestServer.Reply(
                    bytes: "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal",
                    close: false
                )
            default:
                .raw("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close")
            }
        }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [.get("/early-hints"), .get("/legacy"), .get("/early-hints")])

        #expect(responses.map(\.status) == [200, 200, 200], "a 1xx is not the final response")
        #expect(responses.map(\.body) == ["final", "until the close", "final"])
        #expect(responses[1].header("transfer-encoding") == "chunked", "re-framed for the keep-alive client")
        #expect(server.requests.map(\.connection) == [1, 1, 2], "the close-delimited connection is not reused")
        try await gateway.stop()
        await server.stop()
    }

    // MARK: 8. HEAD

    @Test func headResponsesKeepFramingWithoutBody() async throws {
        let server = try await UpstreamTestServer.start { request in
            switch (request.head.method, request.head.uri) {
            case (.HEAD, "/length"): .response(headers: [("Content-Length", "1234"), ("Content-Type", "application/json")], body: "")
            case (.HEAD, "/chunked"): .response(headers: [("Transfer-Encoding", "chunked")], body: "")
            default: .response(body: "after")
            }
        }
        let gateway = try await GatewayHarness.start(upstreams: Conf.upstream(server), routes: Conf.catchAll)
        let responses = try await Client.exchange(port: gateway.port, [
            .get("/length", method: "HEAD"),
            .get("/chunked", method: "HEAD"),
            .get("/after"),
        ])

        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(responses[0].header("content-length") == "1234", "HEAD keeps the GET framing (RFC 9110 §9.3.2)")
        #expect(responses[0].header("content-type") == "application/json")
        #expect(responses[0].raw.hasSuffix("\r\n\r\n") && responses[0].body.isEmpty)
        #expect(responses[1].header("transfer-encoding") == "chunked")
        #expect(responses[1].body.isEmpty)
        #expect(responses[2].body == "after", "no stray body bytes between the responses")
        let received = server.requests
        #expect(received.map(\.head.method) == [.HEAD, .HEAD, .GET])
        #expect(received.allSatisfy { $0.header("content-length") == nil && $0.header("transfer-encoding") == nil })
        #expect(server.connectionCount == 1, "the upstream connection survives HEAD responses")
        try await gateway.stop()
        await server.stop()
    }
}

/// The two pure decisions behind the socket tests above, as tables.
extension UpstreamTests {
    @Test(arguments: [
        // (error, method, reused, body bytes, retried) → retry?
        (ChannelError.eof as any Error, HTTPMethod.GET, true, 0, false, true),
        (ChannelError.eof, .HEAD, true, 0, false, true),
        (ChannelError.eof, .PUT, true, 0, false, true),
        (ChannelError.eof, .GET, false, 0, false, false),
        (ChannelError.eof, .GET, true, 0, true, false),
        (ChannelError.eof, .GET, true, 10, false, false),
        (ChannelError.eof, .POST, true, 0, false, false),
        (ChannelError.eof, .PATCH, true, 0, false, false),
        (IOError(errnoCode: ECONNRESET, reason: "read"), .GET, true, 0, false, true),
        (NIOSSLError.uncleanShutdown, .GET, true, 0, false, true),
        (HTTPParserError.invalidStatus, .GET, true, 0, false, false),
        (ChannelError.connectTimeout(.seconds(1)), .GET, true, 0, false, false),
    ] as [(any Error, HTTPMethod, Bool, Int, Bool, Bool)])
    func retryOnAFreshConnection(error: any Error, method: HTTPMethod, reused: Bool, body: Int, retried: Bool, expected: Bool) {
        let decision = UpstreamHandler.mayRetryOnFreshConnection(
            after: error,
            method: method,
            connectionRequestsServed: reused ? 3 : 0,
            bodyBytesSent: body,
            alreadyRetried: retried
        )
        #expect(decision == expected, "\(error) \(method)")
    }

    @Test func failureKinds() {
        #expect(UpstreamHandler.failureKind(for: HTTPParserError.invalidConstant) == .upstreamBadResponse)
        #expect(UpstreamHandler.failureKind(for: HTTPParserError.invalidEOFState) == .upstreamBadResponse)
        #expect(UpstreamHandler.failureKind(for: ChannelError.eof) == .upstreamReset)
        #expect(UpstreamHandler.failureKind(for: NIOSSLError.uncleanShutdown) == .upstreamReset)
    }
}
