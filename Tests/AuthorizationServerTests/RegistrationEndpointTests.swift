import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RegistrationCore
import Testing

@testable import AuthorizationServer

@Suite("POST /register")
struct RegistrationEndpointTests {
    @Test("a PS256 tls_client_auth registration is stored and answered 201 with the RFC 7591/7592 body")
    func created() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let response = try await client.register(ASFixtures.requestJWT())
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[.cacheControl] == "no-store")
            let body = response.jsonObject
            let clientID = try #require(body["client_id"]?.stringValue)
            #expect(body["scope"] == "openid accounts payments")
            #expect(body["token_endpoint_auth_method"] == "tls_client_auth")
            #expect(body["tls_client_auth_subject_dn"] == .string(ASFixtures.legacyDN))
            #expect(body["client_secret"] == nil)
            #expect(body["client_id_issued_at"].map { if case .integer = $0 { true } else { false } } == true)
            #expect(body["registration_client_uri"] == .string(ASFixtures.issuer + "/register/" + clientID))
            #expect(body["org_name"] == "Sandbox TPP Ltd")
            #expect(body["software_statement"]?.stringValue?.split(separator: ".").count == 3)
            let token = try #require(body["registration_access_token"]?.stringValue)
            let stored = try #require(try await harness.store.client(id: clientID))
            #expect(stored.registrationAccessTokenHash == RandomToken.sha256Hex(token))
            #expect(stored.transportCertificateThumbprint == ASFixtures.thumbprint())
            #expect(stored.extendedMetadata["software_roles"] == "AISP PISP")
            #expect(stored.extendedMetadata["org_id"] == .some(ASFixtures.orgID))
        }
    }

    @Test("application/jose with parameters, and ES256, are accepted; the same software registers twice")
    func joseContentTypeAndES256() async throws {
        try await ASHarness().test { client in
            let first = try await client.register(
                ASFixtures.requestJWT(),
                contentType: "application/jose; charset=UTF-8"
            )
            #expect(first.status == .created)
            let second = try await client.register(ASFixtures.requestJWT(signer: ASFixtures.tppES256Signer))
            #expect(second.status == .created)
            #expect(first.jsonObject["client_id"] != second.jsonObject["client_id"])
        }
    }

    @Test("a secret-based method gets a client_secret once; only its SHA-256 is stored")
    func clientSecret() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let registered = try await client.registerClient(method: "client_secret_basic")
            let secret = try #require(registered.clientSecret)
            #expect(registered.body["client_secret_expires_at"] == 0)
            let stored = try #require(try await harness.store.client(id: registered.clientID))
            #expect(stored.clientSecretHash == RandomToken.sha256Hex(secret))
            #expect(!stored.metadataJSON.contains(secret))
        }
    }

    @Test("other content types are 415, bodies over 64 KiB are 413, both JSON")
    func contentTypeAndSize() async throws {
        try await ASHarness().test { client in
            let json = try await client.register(ASFixtures.requestJWT(), contentType: "application/json")
            #expect(json.status == .unsupportedMediaType)
            #expect(json.errorCode == "invalid_client_metadata")
            let none = try await client.send(.post, "/register", headers: ASFixtures.identityHeaders(), body: "a.b.c")
            #expect(none.status == .unsupportedMediaType)
            let huge = try await client.register(String(repeating: "a", count: 64 * 1024 + 1))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.errorCode == "invalid_client_metadata")
        }
    }

    @Test(
        "without a trusted certificate: 400 invalid_client_metadata (no header, untrusted peer, other CA, bad header)"
    )
    func noTrustedCertificate() async throws {
        try await ASHarness().test { client in
            let jwt = ASFixtures.requestJWT()
            let none = try await client.register(jwt, identity: [:])
            #expect(none.status == .badRequest)
            #expect(none.errorCode == "invalid_client_metadata")
            #expect(none.errorDescription.contains("client certificate"))

            let otherCA = try await client.register(
                jwt,
                identity: ASFixtures.identityHeaders(ASFixtures.pki.otherCATransport, chain: [])
            )
            #expect(otherCA.status == .badRequest)
            #expect(otherCA.errorCode == "invalid_client_metadata")

            var garbage: HTTPFields = [:]
            garbage[HTTPField.Name("Client-Cert")!] = "not a byte sequence"
            let malformed = try await client.register(jwt, identity: garbage)
            #expect(malformed.status == .badRequest)

            let untrusted = try await ASTestRequestContext.$peer.withValue(
                try SocketAddress(ipAddress: "203.0.113.7", port: 4000)
            ) {
                try await client.register(jwt)
            }
            #expect(untrusted.status == .badRequest)
            #expect(untrusted.errorCode == "invalid_client_metadata")
        }
    }

    @Test("a replayed request JWT (same jti) is refused")
    func replay() async throws {
        try await ASHarness().test { client in
            let jwt = ASFixtures.requestJWT()
            #expect(try await client.register(jwt).status == .created)
            let again = try await client.register(jwt)
            #expect(again.status == .badRequest)
            #expect(again.errorCode == "invalid_client_metadata")
            #expect(again.errorDescription.contains("jti"))
        }
    }

    /// One bad input and the code it must produce.
    struct BadInput: Sendable, CustomStringConvertible {
        let description: String
        let body: @Sendable () -> String
        let code: String
    }

    static let badInputs: [BadInput] = [
        BadInput(description: "two segments", body: { "a.b" }, code: "invalid_client_metadata"),
        BadInput(description: "bad base64", body: { "e30.e30.%%%" }, code: "invalid_client_metadata"),
        BadInput(
            description: "payload not JSON",
            body: { try! ASFixtures.tppSigner.sign(payload: Array("nope".utf8)) },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "alg none request",
            body: {
                let parts = ASFixtures.requestJWT().split(separator: ".")
                return RandomToken.base64URL(Array(#"{"alg":"none"}"#.utf8)) + "." + parts[1] + "."
            },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "request signed by a key not in the software JWKS",
            body: { ASFixtures.requestJWT(signer: JWSSigner(key: .p256(.init()), keyID: "tpp-signing-ec")) },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "iat as a string",
            body: { ASFixtures.requestJWT { $0["iat"] = "yesterday" } },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "iat in the future",
            body: { ASFixtures.requestJWT { $0["iat"] = .integer(ASFixtures.seconds(Date()) + 3600) } },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "expired",
            body: { ASFixtures.requestJWT { $0["exp"] = .integer(ASFixtures.seconds(Date()) - 3600) } },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "wrong aud",
            body: { ASFixtures.requestJWT { $0["aud"] = "someone-else" } },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "subject DN of another certificate",
            body: {
                ASFixtures.requestJWT {
                    $0["tls_client_auth_subject_dn"] = "CN=other,OU=0015800001041REAAY,O=OpenBanking,C=GB"
                }
            },
            code: "invalid_client_metadata"
        ),
        BadInput(
            description: "redirect URI not in the SSA",
            body: { ASFixtures.requestJWT { $0["redirect_uris"] = ["https://evil.example.com/cb"] } },
            code: "invalid_redirect_uri"
        ),
        BadInput(
            description: "SSA not a JWS",
            body: { ASFixtures.requestJWT { $0["software_statement"] = "not-a-jws" } },
            code: "invalid_software_statement"
        ),
        BadInput(
            description: "SSA from an unknown directory",
            body: {
                var claims = ASFixtures.ssaClaims()
                claims["iss"] = "Some Other Directory"
                let ssa = ASFixtures.ssa(claims)
                return ASFixtures.requestJWT { $0["software_statement"] = .string(ssa) }
            },
            code: "invalid_software_statement"
        ),
        BadInput(
            description: "SSA signed with an unknown kid",
            body: {
                let ssa = try! JWSSigner(key: .p256(.init()), keyID: "rotated").sign(claims: ASFixtures.ssaClaims())
                return ASFixtures.requestJWT { $0["software_statement"] = .string(ssa) }
            },
            code: "invalid_software_statement"
        ),
        BadInput(
            description: "SSA forged with the directory's kid",
            body: {
                let ssa = try! JWSSigner(key: .p256(.init()), keyID: "directory-kid").sign(
                    claims: ASFixtures.ssaClaims()
                )
                return ASFixtures.requestJWT { $0["software_statement"] = .string(ssa) }
            },
            code: "invalid_software_statement"
        ),
        BadInput(
            description: "SSA without software_jwks_endpoint",
            body: {
                var claims = ASFixtures.ssaClaims()
                claims["software_jwks_endpoint"] = nil
                let ssa = ASFixtures.ssa(claims)
                return ASFixtures.requestJWT { $0["software_statement"] = .string(ssa) }
            },
            code: "invalid_software_statement"
        ),
        BadInput(
            description: "SSA claim of the wrong type",
            body: {
                var claims = ASFixtures.ssaClaims()
                claims["software_redirect_uris"] = 42
                let ssa = ASFixtures.ssa(claims)
                return ASFixtures.requestJWT { $0["software_statement"] = .string(ssa) }
            },
            code: "invalid_software_statement"
        ),
        BadInput(
            description: "organisation revoked",
            body: {
                var claims = ASFixtures.ssaClaims()
                claims["org_status"] = "Revoked"
                let ssa = ASFixtures.ssa(claims)
                return ASFixtures.requestJWT { $0["software_statement"] = .string(ssa) }
            },
            code: "unapproved_software_statement"
        ),
    ]

    @Test("bad input gets the right 400", arguments: Self.badInputs)
    func badInput(_ input: BadInput) async throws {
        try await ASHarness().test { client in
            let response = try await client.register(input.body())
            #expect(response.status == .badRequest, "\(input)")
            #expect(response.errorCode == input.code, "\(input): \(response.errorDescription)")
            #expect(Set(response.jsonObject.keys) == ["error", "error_description"])
        }
    }

    @Test("alg none is refused before anything is fetched; an unknown kid refreshes the software JWKS once")
    func fetchDiscipline() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let parts = ASFixtures.requestJWT().split(separator: ".")
            let unsigned =
                RandomToken.base64URL(Array(#"{"alg":"none","kid":"tpp-signing-1"}"#.utf8)) + "." + parts[1] + "."
            #expect(try await client.register(unsigned).status == .badRequest)
            #expect(await harness.transport.count(ASFixtures.softwareJWKSURL) == 0)
            #expect(await harness.transport.count(ASFixtures.directoryJWKSURL) == 0)

            let unknownKid = ASFixtures.requestJWT(
                signer: JWSSigner(key: .rsa(ASFixtures.tppRSAKey), keyID: "rotated-away")
            )
            let response = try await client.register(unknownKid)
            #expect(response.errorCode == "invalid_client_metadata")
            #expect(response.errorDescription.contains("rotated-away"))
            #expect(await harness.transport.count(ASFixtures.softwareJWKSURL) == 2)
            // The directory set was fetched once and is cached.
            #expect(try await client.register(ASFixtures.requestJWT()).status == .created)
            #expect(await harness.transport.count(ASFixtures.directoryJWKSURL) == 1)
        }
    }

    @Test("a software JWKS that is down, slow or garbage gives a bounded, clear 400")
    func softwareJWKSFaults() async throws {
        let harness = try await ASHarness()
        let cases: [(ASFakeJWKSTransport.Answer, String)] = [
            (.failure(.timedOut), "did not answer in time"),
            (.failure(.unreachable), "could not be reached"),
            (.failure(.httpStatus(500)), "HTTP status 500"),
            (.document(Array("<html>".utf8)), "not a valid JWKS"),
        ]
        try await harness.test { client in
            for (answer, text) in cases {
                await harness.transport.serve(ASFixtures.softwareJWKSURL, answer)
                let response = try await client.register(ASFixtures.requestJWT())
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "invalid_client_metadata")
                #expect(response.errorDescription.contains(text), "\(response.errorDescription)")
            }
            await harness.transport.serve(ASFixtures.directoryJWKSURL, .failure(.timedOut))
            await harness.dependencies.fetcher.removeAll()
            let directoryDown = try await client.register(ASFixtures.requestJWT())
            #expect(directoryDown.errorCode == "invalid_software_statement")
            #expect(directoryDown.errorDescription.contains("did not answer in time"))
        }
    }

    @Test("a directory JWKS from a local file works")
    func directoryFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("as-dir-\(UUID().uuidString).jwks")
            .path
        try Data(ASFixtures.directoryJWKS).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await ASHarness(configuration: ASFixtures.configuration(directoryJWKS: .file(path: path))).test { client in
            let response = try await client.register(ASFixtures.requestJWT())
            #expect(response.status == .created)
        }
    }

    @Test("a database outage is 503 temporarily_unavailable, not a 500 or a hang")
    func databaseDown() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            await harness.store.setAvailable(false)
            let response = try await client.register(ASFixtures.requestJWT())
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "temporarily_unavailable")
            #expect(response.headers[.retryAfter] != nil)
        }
    }
}
