import Foundation
import Logging
import RegistrationCore
import Testing

@testable import AuthorizationServer

@Suite("JWKSFetcher: cache, TTL, one refresh on unknown kid")
struct JWKSFetcherTests {
    static let url = "https://keystore.example.com/a.jwks"

    static func request(ttl: Duration = .seconds(600)) -> JWKSRequest {
        JWKSRequest(location: .url(Self.url), trustDomain: "OpenBanking", cacheTTL: ttl, fetchTimeout: .seconds(1))
    }

    static func keySet(_ signers: JWSSigner...) -> [UInt8] {
        JSONWebKeySet(keys: signers.map { try! $0.publicJWK() }).json.serializedBytes()
    }

    static func fetcher(
        _ transport: ASFakeJWKSTransport,
        clock: ASTestClock = ASTestClock(),
        minimumRefreshInterval: Duration = .zero
    ) -> JWKSFetcher {
        JWKSFetcher(
            transport: transport,
            clock: clock.function,
            logger: ASHarness.logger,
            minimumRefreshInterval: minimumRefreshInterval
        )
    }

    @Test("a set is cached for its TTL, then fetched again")
    func ttl() async throws {
        let transport = ASFakeJWKSTransport()
        await transport.serve(Self.url, .document(Self.keySet(ASFixtures.directorySigner)))
        let clock = ASTestClock()
        let fetcher = Self.fetcher(transport, clock: clock)
        _ = try await fetcher.keySet(for: Self.request())
        _ = try await fetcher.keySet(for: Self.request())
        #expect(await transport.count(Self.url) == 1)
        clock.advance(by: 601)
        let keys = try await fetcher.keySet(for: Self.request())
        #expect(await transport.count(Self.url) == 2)
        #expect(keys.keys.first?.keyID == "directory-kid")
    }

    @Test("an unknown kid refreshes once and then verifies with the rotated key")
    func rotation() async throws {
        let transport = ASFakeJWKSTransport()
        let old = JWSSigner(key: .p256(.init()), keyID: "old")
        let new = JWSSigner(key: .p256(.init()), keyID: "new")
        await transport.serve(Self.url, .document(Self.keySet(old)))
        let fetcher = Self.fetcher(transport)
        _ = try await fetcher.verify(
            CompactJWS.parse(old.sign(claims: ["a": 1])),
            using: Self.request(),
            allowedAlgorithms: [.es256]
        )
        await transport.serve(Self.url, .document(Self.keySet(old, new)))
        _ = try await fetcher.verify(
            CompactJWS.parse(new.sign(claims: ["a": 1])),
            using: Self.request(),
            allowedAlgorithms: [.es256]
        )
        #expect(await transport.count(Self.url) == 2)
    }

    @Test("a kid that stays unknown is refused after exactly one refresh")
    func unknownKid() async throws {
        let transport = ASFakeJWKSTransport()
        await transport.serve(Self.url, .document(Self.keySet(ASFixtures.directorySigner)))
        let fetcher = Self.fetcher(transport)
        let stranger = try JWSSigner(key: .p256(.init()), keyID: "stranger").sign(claims: ["a": 1])
        await #expect(throws: JWKSVerificationError.rejected(.unknownKeyID("stranger"))) {
            try await fetcher.verify(CompactJWS.parse(stranger), using: Self.request(), allowedAlgorithms: [.es256])
        }
        #expect(await transport.count(Self.url) == 2)
    }

    @Test("forced refreshes are spaced by the minimum refresh interval")
    func refreshSpacing() async throws {
        let transport = ASFakeJWKSTransport()
        await transport.serve(Self.url, .document(Self.keySet(ASFixtures.directorySigner)))
        let clock = ASTestClock()
        let fetcher = Self.fetcher(transport, clock: clock, minimumRefreshInterval: .seconds(10))
        let stranger = try CompactJWS.parse(JWSSigner(key: .p256(.init()), keyID: "stranger").sign(claims: ["a": 1]))
        for _ in 0..<5 {
            _ = try? await fetcher.verify(stranger, using: Self.request(), allowedAlgorithms: [.es256])
        }
        #expect(await transport.count(Self.url) == 1)
        clock.advance(by: 11)
        _ = try? await fetcher.verify(stranger, using: Self.request(), allowedAlgorithms: [.es256])
        #expect(await transport.count(Self.url) == 2)
    }

    @Test("alg none, HS256, RS256 and a missing kid are refused before anything is fetched")
    func algorithmFirst() async throws {
        let transport = ASFakeJWKSTransport()
        let fetcher = Self.fetcher(transport)
        let payload = RandomToken.base64URL(Array(#"{"a":1}"#.utf8))
        for header in [
            #"{"alg":"none","kid":"k"}"#, #"{"alg":"HS256","kid":"k"}"#, #"{"alg":"RS256","kid":"k"}"#,
            #"{"alg":"ES256"}"#,
        ] {
            let jws = try CompactJWS.parse(RandomToken.base64URL(Array(header.utf8)) + "." + payload + ".c2ln")
            await #expect(throws: JWKSVerificationError.self) {
                try await fetcher.verify(jws, using: Self.request(), allowedAlgorithms: [.es256, .ps256])
            }
        }
        #expect(await transport.count(Self.url) == 0)
    }

    @Test("failures are reported, not cached: the next call fetches again")
    func failuresNotCached() async throws {
        let transport = ASFakeJWKSTransport()
        await transport.serve(Self.url, .failure(.timedOut))
        let fetcher = Self.fetcher(transport)
        await #expect(throws: JWKSFetcherError.timedOut) { try await fetcher.keySet(for: Self.request()) }
        await transport.serve(Self.url, .document(Array("{\"keys\": 5}".utf8)))
        await #expect(throws: JWKSFetcherError.self) { try await fetcher.keySet(for: Self.request()) }
        await transport.serve(Self.url, .document(Self.keySet(ASFixtures.directorySigner)))
        _ = try await fetcher.keySet(for: Self.request())
        #expect(await transport.count(Self.url) == 3)
    }

    @Test("file sources are read from disk; a missing file is an error")
    func fileSource() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json").path
        let fetcher = Self.fetcher(ASFakeJWKSTransport())
        let request = JWKSRequest(
            location: .file(path),
            trustDomain: "OpenBanking",
            cacheTTL: .seconds(60),
            fetchTimeout: .seconds(1)
        )
        await #expect(throws: JWKSFetcherError.fileUnreadable) { try await fetcher.keySet(for: request) }
        try Data(Self.keySet(ASFixtures.directorySigner)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let keys = try await fetcher.keySet(for: request)
        #expect(keys.keys.count == 1)
    }
}
