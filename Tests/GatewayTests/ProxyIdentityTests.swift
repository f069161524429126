import Foundation
import MTLSIdentity
import Testing

/// Identity forwarding end to end with real `curl`: what the upstream receives, exactly.
@Suite("identity forwarding")
struct ProxyIdentityTests {
    static let routes = """
        [[route]]
        name = "open"
        path_prefix = "/"
        upstream = "backend"
        client_certificate = "optional"

        [[route]]
        name = "registration"
        path_prefix = "/register"
        upstream = "backend"
        client_certificate = "required"
        """

    @Test func forwardsVerifiedIdentityAndStripsSpoofedHeaders() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(upstreams: GatewayHarness.upstreamTOML(port: upstream.port), routes: Self.routes)
        defer { Task { try? await gateway.stop(); await upstream.stop() } }

        let spoofed = [
            "Client-Cert: :AAAA:", "client_cert: :AAAA:", "CLIENT-CERT-CHAIN: :AAAA:",
            "X-Client-Cert-Subject-DN: CN=evil", "x_client_cert_subject_dn: CN=evil",
            "X-SSL-Client-S-DN: CN=evil", "SSL_CLIENT_S_DN: CN=evil", "ssl-client-verify: SUCCESS",
            "X-Forwarded-Client-Cert: Hash=evil", "X-Forwarded-For: 6.6.6.6", "Forwarded: for=6.6.6.6",
            "Connection: x-smuggled", "X-Smuggled: yes", "Proxy-Authorization: secret",
        ]
        let result = try await Curl.run(port: gateway.port, path: "/register/abc?x=1", headers: spoofed)
        #expect(result.status == 200, "\(result)")
        #expect(result.headers["x-request-id"] != nil)
        #expect(result.headers["x-upstream-secret"] == nil, "headers named in the upstream's Connection are dropped")

        let request = try #require(upstream.requests.last)
        let leaf = TestPKI.pki.transport
        let identity = try ClientIdentity(validatedChain: [leaf.certificate, TestPKI.pki.issuingCA.certificate, TestPKI.pki.root.certificate])
        #expect(request.head.uri == "/register/abc?x=1")
        #expect(request.header("client-cert") == RFC9440.encodeCertificate(leaf.derBytes))
        #expect(request.header("client-cert-chain") == RFC9440.encodeCertificateChain([TestPKI.pki.issuingCA.derBytes]))
        #expect(request.header("x-client-cert-subject-dn") == identity.subjectDN(.openssl))
        #expect(request.header("x-client-cert-thumbprint-s256") == identity.thumbprintS256)
        #expect(request.header("x-client-cert-verify") == "SUCCESS")
        #expect(request.header("x-client-cert-org-id") == "0015800001041REAAY")
        #expect(request.header("x-client-cert-software-id") == "2ZVHy1MEB0Ar8ov2lgcsMM")
        #expect(request.header("x-forwarded-for") == "127.0.0.1")
        #expect(request.header("x-forwarded-proto") == "https")
        #expect(request.header("x-smuggled") == nil)
        #expect(request.header("proxy-authorization") == nil)
        #expect(request.header("x-forwarded-client-cert")?.hasPrefix("Hash=\(identity.thumbprintS256Hex)") == true)
        // Exactly one copy of each identity header, and none of the spoofed values survived.
        for name in request.headerNames where name.contains("cert") || name.contains("ssl") || name.contains("dn") {
            #expect(request.head.headers[name].count == 1, "\(name) appears more than once")
        }
        #expect(!request.head.headers.contains { $0.value.contains("evil") || $0.value == ":AAAA:" || $0.value.contains("6.6.6.6") })
    }

    @Test func leafOnlyClientVerifiesThroughConfiguredIntermediates() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(upstreams: GatewayHarness.upstreamTOML(port: upstream.port), routes: Self.routes)
        defer { Task { try? await gateway.stop(); await upstream.stop() } }
        let leafOnly = try await Curl.run(port: gateway.port, path: "/register", certificate: .transport)
        let withChain = try await Curl.run(port: gateway.port, path: "/register", certificate: .transportChain)
        #expect(leafOnly.status == 200)
        #expect(withChain.status == 200)
        #expect(upstream.requests.count == 2)
    }

    @Test func noCertificateGetsNoIdentityHeadersAndRequiredRoutesRefuse() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(upstreams: GatewayHarness.upstreamTOML(port: upstream.port), routes: Self.routes)
        defer { Task { try? await gateway.stop(); await upstream.stop() } }

        let open = try await Curl.run(port: gateway.port, path: "/.well-known/openid-configuration", certificate: .none, headers: ["Client-Cert: :AAAA:", "X-SSL-Client-Verify: SUCCESS"])
        #expect(open.status == 200)
        let request = try #require(upstream.requests.last)
        #expect(request.header("x-client-cert-verify") == "NONE")
        let identityNames = request.headerNames.filter { $0.contains("client") || $0.contains("ssl") }
        #expect(identityNames == ["x-client-cert-verify"])

        let refused = try await Curl.run(port: gateway.port, path: "/register", method: "POST", certificate: .none, data: "x")
        #expect(refused.status == 400)
        #expect(refused.body.contains("\"error\":\"client_certificate_required\""))
        #expect(upstream.requests.count == 1, "the refused request never reached the upstream")
    }

    @Test(arguments: [
        ("expired-transport", "certificate_expired"),
        ("not-yet-valid-transport", "certificate_not_yet_valid"),
        ("wrong-eku-transport", "wrong_extended_key_usage"),
        ("other-ca-transport", "unknown_ca"),
    ])
    func badCertificatesFailTheHandshakeAndAreLogged(file: String, reason: String) async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(upstreams: GatewayHarness.upstreamTOML(port: upstream.port), routes: Self.routes)
        defer { Task { try? await gateway.stop(); await upstream.stop() } }
        let result = try await Curl.run(port: gateway.port, path: "/", certificate: .files(cert: "\(file).pem", key: "\(file).key"))
        #expect(result.exitCode != 0, "curl must fail the handshake")
        #expect(upstream.requests.isEmpty)
        let lines = try await gateway.accessLogLines(until: { $0["event"] as? String == "tls_handshake_failed" })
        let failure = try #require(lines.first { $0["event"] as? String == "tls_handshake_failed" })
        #expect(failure["reason"] as? String == reason)
        #expect(failure["sni"] as? String == "localhost")
        #expect((failure["downstream_address"] as? String)?.hasPrefix("127.0.0.1:") == true)
    }

    @Test func requiredListenerRefusesHandshakeWithoutCertificate() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(listenerMode: "required", upstreams: GatewayHarness.upstreamTOML(port: upstream.port), routes: Self.routes)
        defer { Task { try? await gateway.stop(); await upstream.stop() } }
        let result = try await Curl.run(port: gateway.port, path: "/", certificate: .none)
        #expect(result.exitCode != 0 || result.status == 0)
        #expect(upstream.requests.isEmpty)
        let lines = try await gateway.accessLogLines(until: { $0["event"] as? String == "tls_handshake_failed" })
        #expect(lines.contains { $0["reason"] as? String == "no_certificate" }, "\(lines)")
    }
}
