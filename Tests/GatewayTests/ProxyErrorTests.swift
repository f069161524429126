import Foundation
import Testing

/// Every gateway-made status, with a JSON body, the right code, nothing leaked, the process alive.
@Suite("error statuses")
struct ProxyErrorTests {
    static func routes(extra: String = "") -> String {
        """
        [[route]]
        name = "api"
        path_prefix = "/"
        methods = ["GET", "POST"]
        upstream = "backend"
        \(extra)

        [[route]]
        name = "small"
        path_prefix = "/small"
        upstream = "backend"
        max_body_size = "1KiB"

        [[route]]
        name = "token"
        path_prefix = "/token"
        methods = ["POST"]
        upstream = "backend"

        [[route]]
        name = "dead"
        path_prefix = "/dead"
        upstream = "dead"
        """
    }

    static func deadUpstream() throws -> String {
        // A port nobody listens on: bind, learn, close.
        let port = try FreePort.reserve()
        return """
            [[upstream]]
            name = "dead"
            servers = ["http://127.0.0.1:\(port)"]
            connect_timeout = "1s"
            """
    }

    @Test func statuses() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(
            gatewayExtra: #"max_header_size = "4KiB""#,
            upstreams: GatewayHarness.upstreamTOML(port: upstream.port) + "\n" + (try Self.deadUpstream()),
            routes: Self.routes()
        )
        let port = gateway.port

        let notFound = try await Curl.run(port: port, path: "/token/x", method: "DELETE")
        #expect(notFound.status == 405)
        #expect(notFound.headers["allow"] == "GET, POST")
        #expect(notFound.body.contains("\"error\":\"method_not_allowed\""))

        let tooLarge = try await Curl.run(port: port, path: "/small", method: "POST", data: String(repeating: "a", count: 2048))
        #expect(tooLarge.status == 413)
        #expect(tooLarge.body.contains("request_body_too_large"))

        let chunkedTooLarge = try await Curl.run(
            port: port, path: "/small", method: "POST", headers: ["Transfer-Encoding: chunked"],
            data: String(repeating: "b", count: 4096)
        )
        #expect(chunkedTooLarge.status == 413)

        let bigHeaders = try await Curl.run(port: port, path: "/", headers: ["X-Big: " + String(repeating: "h", count: 5000)])
        #expect(bigHeaders.status == 431)
        #expect(bigHeaders.body.contains("request_headers_too_large"))

        let dead = try await Curl.run(port: port, path: "/dead")
        #expect(dead.status == 502)
        #expect(dead.body.contains("upstream_connect_failed"))
        let deadAgain = try await Curl.run(port: port, path: "/dead")
        #expect(deadAgain.status == 503, "the only server is marked down")
        #expect(deadAgain.body.contains("no_healthy_upstream"))

        let reset = try await Curl.run(port: port, path: "/reset")
        #expect(reset.status == 502)
        #expect(reset.body.contains("upstream_reset"))

        let slow = try await Curl.run(port: port, path: "/slow")
        #expect(slow.status == 504)
        #expect(slow.body.contains("upstream_timeout"))

        let traversal = try await Curl.run(port: port, path: "/a/%2e%2e/b", extra: ["--path-as-is"])
        #expect(traversal.status == 400)
        #expect(traversal.body.contains("invalid_path"))

        let misdirected = try await Curl.run(port: port, path: "/", headers: ["Host: api.other.example"])
        #expect(misdirected.status == 421)

        // Every error carried a request id, in the header and the body, and the process still serves.
        for result in [notFound, tooLarge, bigHeaders, dead, deadAgain, reset, slow, traversal, misdirected] {
            let id = try #require(result.headers["x-request-id"])
            #expect(result.body.contains("\"request_id\":\"\(id)\""))
            #expect(result.headers["content-type"] == "application/json")
        }
        let fine = try await Curl.run(port: port, path: "/hello")
        #expect(fine.status == 200)
        #expect(fine.body == "ok")

        let lines = try await gateway.accessLogLines()
        #expect(lines.contains { $0["status"] as? Int == 504 && $0["error"] as? String == "upstream_timeout" })
        #expect(lines.contains { $0["status"] as? Int == 431 })
        try await gateway.stop()
        await upstream.stop()
    }

    /// `bytes` sent over MTLS with `openssl s_client` (stdin kept open up to 3 s, so the answer
    /// is read before the client gives up); what came back.
    static func sendRaw(_ bytes: String, port: Int) async throws -> String {
        let (_, output, _) = try await Process.runCollecting(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost", "-quiet",
             "-cert", TestPKI.path("tpp-transport.pem"), "-key", TestPKI.path("tpp-transport.key"),
             "-CAfile", TestPKI.path("root-ca.pem")],
            stdin: Data(bytes.utf8),
            keepStdinOpenFor: 3
        )
        return output
    }

    @Test func slowHeadersGet408() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(
            gatewayExtra: #"request_header_timeout = "300ms""#,
            upstreams: GatewayHarness.upstreamTOML(port: upstream.port) + "\n" + (try Self.deadUpstream()),
            routes: Self.routes()
        )
        // Send half a request head and stop: the gateway answers 408 and closes.
        let output = try await Self.sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n", port: gateway.port)
        #expect(output.contains("HTTP/1.1 408"), "\(output)")
        #expect(output.contains("request_timeout"))
        try await gateway.stop()
        await upstream.stop()
    }

    @Test("a HEAD whose chunked body cannot be parsed gets 400 without a body (RFC 9110 §9.3.2), then a close")
    func unparseableHeadBodyGets400WithoutBody() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(
            upstreams: GatewayHarness.upstreamTOML(port: upstream.port) + "\n" + (try Self.deadUpstream()),
            routes: Self.routes()
        )
        let output = try await Self.sendRaw(
            "HEAD /small/x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            port: gateway.port
        )
        #expect(output.hasPrefix("HTTP/1.1 400"), "\(output)")
        #expect(output.contains("content-length: "), "\(output)")
        #expect(!output.contains("malformed_request"), "a body after a HEAD answer: \(output)")
        let lines = try await gateway.accessLogLines()
        #expect(lines.contains { $0["status"] as? Int == 400 && $0["error"] as? String == "malformed_request" })
        try await gateway.stop()
        await upstream.stop()
    }
}
