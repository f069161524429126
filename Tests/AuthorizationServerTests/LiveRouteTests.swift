import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import RegistrationCore
import ServiceLifecycle
import Testing

@testable import AuthorizationServer

/// `buildAuthorizationServer` end to end on loopback: a real listener on port 0, the production
/// request context (peer from the socket), the production JWKS transport against a local HTTPS
/// keystore trusted through the directory's `trust_roots`.
@Suite("Live: buildAuthorizationServer over loopback")
struct LiveRouteTests {
    static func withServer(
        _ body: @Sendable (_ port: Int, _ keystore: ASJWKSTestServer) async throws -> Void
    ) async throws {
        let directoryJWKS = ASFixtures.directoryJWKS
        let softwareJWKS = ASFixtures.softwareJWKS
        let keystore = try await ASJWKSTestServer.start { path in
            switch path {
            case "/directory.jwks": return .document(directoryJWKS)
            case "/software.jwks": return .document(softwareJWKS)
            default: return .status(404)
            }
        }
        let configuration = ASFixtures.configuration(
            directoryJWKS: .url(keystore.url("/directory.jwks")),
            directoryTrustRoots: [ASFixtures.pki.root.certificate]
        )
        let application = try await buildAuthorizationServer(
            configuration: configuration,
            store: InMemoryClientStore(),
            logger: ASHarness.logger
        )
        let group = ServiceGroup(
            configuration: .init(services: application.services, gracefulShutdownSignals: [], logger: ASHarness.logger)
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try await application.boundPort()
                try await body(port, keystore)
            } catch {
                await group.triggerGracefulShutdown()
                try? await keystore.stop()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await keystore.stop()
    }

    static func json(_ response: TestClient.Response) -> [String: JSONValue] {
        response.body.flatMap { try? JSONValue.parse(Array(buffer: $0)) }?.objectValue ?? [:]
    }

    @Test("register → token → GET → PUT → DELETE → GET is 401")
    func fullFlow() async throws {
        try await Self.withServer { port, keystore in
            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                let discovery = try await client.get("/.well-known/openid-configuration")
                #expect(discovery.status == .ok)

                let ssa = ASFixtures.ssa(ASFixtures.ssaClaims(jwksURL: keystore.url("/software.jwks")))
                let jwt = { ASFixtures.requestJWT { $0["software_statement"] = .string(ssa) } }
                var headers = ASFixtures.identityHeaders()
                headers[.contentType] = "application/jwt"
                let created = try await client.post("/register", headers: headers, body: ByteBuffer(string: jwt()))
                #expect(created.status == .created)
                let registered = Self.json(created)
                let clientID = try #require(registered["client_id"]?.stringValue)

                var form = ASFixtures.identityHeaders()
                form[.contentType] = "application/x-www-form-urlencoded"
                let tokenResponse = try await client.post(
                    "/token",
                    headers: form,
                    body: ByteBuffer(string: "grant_type=client_credentials&client_id=\(clientID)&scope=")
                )
                #expect(tokenResponse.status == .ok)
                let token = try #require(Self.json(tokenResponse)["access_token"]?.stringValue)

                var bearer = ASFixtures.identityHeaders()
                bearer[.authorization] = "Bearer \(token)"
                #expect(try await client.get("/register/\(clientID)", headers: bearer).status == .ok)
                var put = bearer
                put[.contentType] = "application/jwt"
                #expect(
                    try await client.put("/register/\(clientID)", headers: put, body: ByteBuffer(string: jwt())).status
                        == .ok
                )
                #expect(
                    try await client.delete("/register/\(clientID)", headers: bearer, body: ByteBuffer()).status
                        == .noContent
                )
                let gone = try await client.get("/register/\(clientID)", headers: bearer)
                #expect(gone.status == .unauthorized)
                #expect(gone.headers[.wwwAuthenticate] != nil)
                #expect(keystore.requests == 2)
            }
        }
    }

    @Test("a port already in use is reported by boundPort, not a hang")
    func portInUse() async throws {
        try await Self.withServer { port, _ in
            var configuration = ASFixtures.configuration()
            configuration.server.address.port = port
            let second = try await buildAuthorizationServer(
                configuration: configuration,
                store: InMemoryClientStore(),
                logger: ASHarness.logger
            )
            let group = ServiceGroup(
                configuration: .init(services: second.services, gracefulShutdownSignals: [], logger: ASHarness.logger)
            )
            await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                await #expect(throws: (any Error).self) { try await second.boundPort() }
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
            }
        }
    }
}
