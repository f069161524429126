import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import OpenBankingSandbox
import RegistrationCore
import ServiceLifecycle
import Testing
import X509

@Suite("Sandbox directory over HTTPS on port 0")
struct SandboxDirectoryServerTests {
    /// Runs a directory server on port 0 in a service group, passes its base URL to `body`, then
    /// shuts the group down gracefully.
    static func withServer(
        _ directory: SandboxDirectory,
        pki: SandboxPKI,
        _ body: @Sendable (String) async throws -> Void
    ) async throws {
        let server = SandboxDirectoryServer(configuration: .init(pki: pki, port: 0), directory: directory)
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try await server.boundPort
                #expect(port > 0)
                #expect(server.publicBaseURL == "https://localhost:\(port)")
                try await body(server.publicBaseURL)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// An AsyncHTTPClient trusting only `root`.
    static func makeClient(trusting root: Certificate) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: JWKThumbprint.der(root), format: .der)])
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, timeout: .init(connect: .seconds(5), read: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false  // fail at once, not after 5 s of retries
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    static func fetch(_ client: HTTPClient, _ url: String, method: HTTPMethod = .GET, body: String? = nil) async throws
        -> (status: UInt, contentType: String?, body: [UInt8])
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, response.headers.first(name: "Content-Type"), Array(bytes.readableBytesView))
    }

    @Test("serves the JWKS over TLS chaining to the sandbox root; an SSA from POST /ssa verifies against it")
    func servesJWKSAndSSAs() async throws {
        let fixtures = try SandboxFixtures.shared()
        try await Self.withServer(fixtures.directory, pki: fixtures.pki) { base in
            let client = try Self.makeClient(trusting: fixtures.pki.root.certificate)
            do {
                let jwks = try await Self.fetch(client, base + "/keystore/openbanking.jwks")
                #expect(jwks.status == 200 && jwks.contentType == "application/json")
                let directoryKeys = try JSONWebKeySet(parsing: jwks.body)
                #expect(directoryKeys.keys.first?.keyID == (try fixtures.directory.keyID()))

                let software = try await Self.fetch(client, base + "/0015800001041REAAY/2ZVHy1MEB0Ar8ov2lgcsMM.jwks")
                #expect(try JSONWebKeySet(parsing: software.body).tlsCertificateThumbprints.count == 2)

                let body = #"{"org_id":"0015800001041REAAY","software_id":"2ZVHy1MEB0Ar8ov2lgcsMM","redirect_uris":["https://tpp.example.com/cb"],"software_roles":["AISP"]}"#
                let issued = try await Self.fetch(client, base + "/ssa", method: .POST, body: body)
                #expect(issued.status == 201 && issued.contentType == "application/jwt")
                let jws = try CompactJWS.parse(String(decoding: issued.body, as: UTF8.self))
                try JWSVerifier.verify(jws, in: directoryKeys, allowedAlgorithms: [.ps256])
                let statement = try SoftwareStatement(jws: jws)
                #expect(statement.softwareJWKSEndpoint == base + "/0015800001041REAAY/2ZVHy1MEB0Ar8ov2lgcsMM.jwks")

                let missing = try await Self.fetch(client, base + "/nope")
                #expect(missing.status == 404)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test("a client that does not trust the sandbox root cannot connect")
    func untrustedRoot() async throws {
        let fixtures = try SandboxFixtures.shared()
        try await Self.withServer(fixtures.directory, pki: fixtures.pki) { base in
            let client = try Self.makeClient(trusting: fixtures.pki.otherRoot.certificate)
            await #expect(throws: (any Error).self) {
                _ = try await Self.fetch(client, base + "/keystore/openbanking.jwks")
            }
            try await client.shutdown()
        }
    }

    @Test("binding a port in use fails with one clear sentence")
    func portInUse() async throws {
        let fixtures = try SandboxFixtures.shared()
        try await Self.withServer(fixtures.directory, pki: fixtures.pki) { base in
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            let second = SandboxDirectoryServer(configuration: .init(pki: fixtures.pki, port: port), directory: fixtures.directory)
            await #expect { try await second.run() } throws: { error in
                (error as? SandboxDirectoryServerError)?.kind == .portInUse
                    && "\(error)" == "Port \(port) on 127.0.0.1 is already in use: stop the other process or choose another port with --port."
            }
            await #expect(throws: SandboxDirectoryServerError.self) { _ = try await second.boundPort }
        }
    }
}
