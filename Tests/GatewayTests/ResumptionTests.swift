import Foundation
import Testing

/// A resumed TLS session must carry the same, re-validated identity (BoringSSL skips the
/// verification callback on resumption). Real `openssl s_client` with -sess_out / -sess_in.
@Suite("session resumption")
struct ResumptionTests {
    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func resumedSessionKeepsIdentity(version: String) async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(
            upstreams: GatewayHarness.upstreamTOML(port: upstream.port),
            routes: """
                [[route]]
                name = "registration"
                path_prefix = "/"
                upstream = "backend"
                client_certificate = "required"
                """
        )
        let session = gateway.directory + "/session.pem"
        let request = Data("GET /first HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        let common = [
            "s_client", "-connect", "127.0.0.1:\(gateway.port)", "-servername", "localhost", version,
            "-CAfile", TestPKI.path("root-ca.pem"),
            "-cert", TestPKI.path("tpp-transport.pem"), "-key", TestPKI.path("tpp-transport.key"),
            "-ign_eof",
        ]
        let (_, first, _) = try await Process.runCollecting("/usr/bin/openssl", common + ["-sess_out", session], stdin: request)
        #expect(first.contains("HTTP/1.1 200"), "\(first)")
        let second = Data("GET /second HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        let (_, resumed, _) = try await Process.runCollecting("/usr/bin/openssl", common + ["-sess_in", session], stdin: second)
        #expect(resumed.contains("Reused"), "the session was resumed: \(resumed.prefix(400))")
        #expect(resumed.contains("HTTP/1.1 200"))

        let requests = upstream.requests
        #expect(requests.count == 2)
        #expect(requests.map { $0.header("x-client-cert-subject-dn") }.allSatisfy { $0 != nil })
        #expect(requests.first?.header("client-cert") == requests.last?.header("client-cert"))
        let lines = try await gateway.accessLogLines().filter { $0["path"] as? String == "/second" }
        #expect(lines.first?["tls_resumed"] as? Bool == true)
        #expect(lines.first?["client_verify"] as? String == "SUCCESS")
        try await gateway.stop()
        await upstream.stop()
    }
}
