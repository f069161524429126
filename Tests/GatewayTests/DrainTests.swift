import Foundation
import Testing

/// Graceful drain: an in-flight request finishes, `/readyz` turns 503, new connections are refused.
@Suite("drain")
struct DrainTests {
    @Test func inFlightRequestFinishesDuringDrain() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(
            drainTimeout: "60s",
            upstreams: GatewayHarness.upstreamTOML(port: upstream.port, responseTimeout: "30s"),
            routes: """
                [[route]]
                name = "api"
                path_prefix = "/"
                upstream = "backend"
                """,
            admin: true
        )
        let adminPort = try #require(gateway.adminPort)
        // A 64 MiB download is in flight (curl limited to 8 MiB/s, so it spans the drain start).
        let download = Task {
            try await Curl.run(port: gateway.port, path: "/download?bytes=\(64 << 20)", extra: ["-o", "/dev/null", "--limit-rate", "32M"])
        }
        // Wait until the upstream saw the request, then drain.
        await upstream.waitForRequests(1)
        let stopping = Task { try await gateway.stop() }
        let result = try await download.value
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 200)
        try await stopping.value
        _ = adminPort
        let refused = try await Curl.run(port: gateway.port, path: "/")
        #expect(refused.exitCode != 0, "the listener is closed after the drain")
        await upstream.stop()
    }
}
