import Foundation
import Logging
import RegistrationCore
import Testing

@testable import AuthorizationServer

/// The production transport against a real HTTPS server on loopback.
@Suite("JWKSFetcher over HTTPS: directory trust roots, status, size and time bounds")
struct JWKSFetcherHTTPSTests {
    static let document = JSONWebKeySet(keys: [try! ASFixtures.directorySigner.publicJWK()]).json.serializedBytes()

    static func withServer(
        _ body: @Sendable (ASJWKSTestServer, HTTPJWKSTransport) async throws -> Void
    ) async throws {
        let server = try await ASJWKSTestServer.start { path in
            switch path {
            case "/jwks": return .document(Self.document)
            case "/broken": return .status(500)
            case "/garbage": return .document(Array("<html>not json</html>".utf8))
            case "/huge": return .document(Array(repeating: UInt8(ascii: " "), count: 8_192))
            case "/slow": return .hang
            default: return .status(404)
            }
        }
        let transport = try HTTPJWKSTransport(
            trustRoots: [
                "OpenBanking": [ASFixtures.pki.root.certificate], "Elsewhere": [ASFixtures.pki.otherRoot.certificate],
            ],
            logger: ASHarness.logger
        )
        do {
            try await body(server, transport)
        } catch {
            try await server.stop()
            await transport.shutdown()
            throw error
        }
        try await server.stop()
        await transport.shutdown()
    }

    static func request(_ url: String, domain: String = "OpenBanking", timeout: Duration = .seconds(5)) -> JWKSRequest {
        JWKSRequest(location: .url(url), trustDomain: domain, cacheTTL: .seconds(600), fetchTimeout: timeout)
    }

    @Test("a JWKS is fetched over TLS trusted by the directory's roots, and cached")
    func fetches() async throws {
        try await Self.withServer { server, transport in
            let fetcher = JWKSFetcher(transport: transport, logger: ASHarness.logger)
            let keys = try await fetcher.keySet(for: Self.request(server.url("/jwks")))
            #expect(keys.keys.first?.keyID == "directory-kid")
            _ = try await fetcher.keySet(for: Self.request(server.url("/jwks")))
            #expect(server.requests == 1)
        }
    }

    @Test("faults give bounded, categorised errors")
    func faults() async throws {
        try await Self.withServer { server, transport in
            let fetcher = JWKSFetcher(transport: transport, logger: ASHarness.logger, maximumDocumentBytes: 4_096)
            await #expect(throws: JWKSFetcherError.unreachable) {
                try await fetcher.keySet(
                    for: Self.request(server.url("/jwks"), domain: "Elsewhere", timeout: .seconds(15))
                )
            }
            await #expect(throws: JWKSFetcherError.httpStatus(500)) {
                try await fetcher.keySet(for: Self.request(server.url("/broken")))
            }
            await #expect(throws: JWKSFetcherError.invalidDocument("not JSON")) {
                try await fetcher.keySet(for: Self.request(server.url("/garbage")))
            }
            await #expect(throws: JWKSFetcherError.tooLarge(limit: 4_096)) {
                try await fetcher.keySet(for: Self.request(server.url("/huge")))
            }
            await #expect(throws: JWKSFetcherError.invalidLocation) {
                try await fetcher.keySet(for: Self.request("http://localhost:\(server.port)/jwks"))
            }
            let started = ContinuousClock.now
            await #expect(throws: JWKSFetcherError.timedOut) {
                try await fetcher.keySet(for: Self.request(server.url("/slow"), timeout: .milliseconds(300)))
            }
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }
}
