import Foundation
import HTTPTypes
import HummingbirdTesting
import RegistrationCore
import Testing

@testable import AuthorizationServer

@Suite("POST /token")
struct TokenEndpointTests {
    @Test("tls_client_auth: a certificate-bound JWT access token, recorded in the store")
    func tlsClientAuth() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let registered = try await client.registerClient()
            let response = try await client.token(
                "grant_type=client_credentials&client_id=\(registered.clientID)&scope="
            )
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = response.jsonObject
            #expect(body["token_type"] == "Bearer")
            #expect(body["expires_in"] == 600)
            #expect(body["scope"] == "openid accounts payments")
            let token = try #require(body["access_token"]?.stringValue)
            let jws = try CompactJWS.parse(token)
            #expect(jws.header.type == "at+jwt")
            let claims = try jws.claims()
            #expect(claims["iss"] == .string(ASFixtures.issuer))
            #expect(claims["sub"] == .string(registered.clientID))
            #expect(claims["client_id"] == .string(registered.clientID))
            #expect(claims["cnf"]?.objectValue?["x5t#S256"] == .string(ASFixtures.thumbprint()))
            let jti = try #require(claims["jti"]?.stringValue)
            let stored = try await harness.store.activeToken(jti: jti)
            #expect(stored?.clientID == registered.clientID)
            #expect(stored?.certificateThumbprint == ASFixtures.thumbprint())
        }
    }

    @Test("scope: a registered subset is granted; an unregistered scope is invalid_scope")
    func scope() async throws {
        try await ASHarness().test { client in
            let registered = try await client.registerClient()
            let subset = try await client.token(
                "grant_type=client_credentials&client_id=\(registered.clientID)&scope=accounts+accounts"
            )
            #expect(subset.jsonObject["scope"] == "accounts")
            let wider = try await client.token(
                "grant_type=client_credentials&client_id=\(registered.clientID)&scope=fundsconfirmations"
            )
            #expect(wider.status == .badRequest)
            #expect(wider.errorCode == "invalid_scope")
        }
    }

    @Test("grant and request errors are RFC 6749 bodies")
    func requestErrors() async throws {
        try await ASHarness().test { client in
            let registered = try await client.registerClient()
            let id = registered.clientID
            let missingGrant = try await client.token("client_id=\(id)")
            #expect(missingGrant.status == .badRequest)
            #expect(missingGrant.errorCode == "invalid_request")
            let password = try await client.token("grant_type=password&client_id=\(id)")
            #expect(password.status == .badRequest)
            #expect(password.errorCode == "unsupported_grant_type")
            let repeated = try await client.token("grant_type=client_credentials&client_id=\(id)&client_id=\(id)")
            #expect(repeated.errorCode == "invalid_request")
            var headers = ASFixtures.identityHeaders()
            headers[.contentType] = "application/json"
            let json = try await client.send(.post, "/token", headers: headers, body: "{}")
            #expect(json.status == .badRequest)
            #expect(json.errorCode == "invalid_request")
        }
    }

    @Test("authentication failures are 401 invalid_client with WWW-Authenticate")
    func invalidClient() async throws {
        try await ASHarness().test { client in
            let registered = try await client.registerClient()
            let id = registered.clientID
            let failures: [(String, HTTPFields, String?)] = [
                ("grant_type=client_credentials&client_id=\(id)", [:], nil),  // no certificate
                ("grant_type=client_credentials&client_id=unknown", ASFixtures.identityHeaders(), nil),
                ("grant_type=client_credentials", ASFixtures.identityHeaders(), nil),  // no client_id
                (
                    "grant_type=client_credentials&client_id=\(id)&client_secret=guess", ASFixtures.identityHeaders(),
                    nil
                ),
                (
                    "grant_type=client_credentials&client_id=\(id)",
                    ASFixtures.identityHeaders(ASFixtures.pki.obwacTransport), nil
                ),  // a trusted certificate with another subject
            ]
            for (form, identity, authorization) in failures {
                let response = try await client.token(form, identity: identity, authorization: authorization)
                #expect(response.status == .unauthorized, "\(form)")
                #expect(response.errorCode == "invalid_client", "\(form)")
                #expect(response.headers[.wwwAuthenticate] != nil)
            }
        }
    }

    @Test("client_secret_basic and client_secret_post")
    func secrets() async throws {
        try await ASHarness().test { client in
            let basic = try await client.registerClient(method: "client_secret_basic")
            let secret = try #require(basic.clientSecret)
            let credentials = Data("\(basic.clientID):\(secret)".utf8).base64EncodedString()
            let ok = try await client.token("grant_type=client_credentials", authorization: "Basic \(credentials)")
            #expect(ok.status == .ok)
            let wrong = Data("\(basic.clientID):wrong".utf8).base64EncodedString()
            let refused = try await client.token("grant_type=client_credentials", authorization: "Basic \(wrong)")
            #expect(refused.status == .unauthorized)
            let asPost = try await client.token(
                "grant_type=client_credentials&client_id=\(basic.clientID)&client_secret=\(secret)"
            )
            #expect(asPost.status == .unauthorized, "registered for basic, not post")

            let post = try await client.registerClient(method: "client_secret_post")
            let postSecret = try #require(post.clientSecret)
            let posted = try await client.token(
                "grant_type=client_credentials&client_id=\(post.clientID)&client_secret=\(postSecret)"
            )
            #expect(posted.status == .ok)
            let twoMethods = try await client.token(
                "grant_type=client_credentials&client_id=\(basic.clientID)&client_secret=\(secret)",
                authorization: "Basic \(credentials)"
            )
            #expect(twoMethods.errorCode == "invalid_request")
        }
    }

    static func assertion(
        clientID: String,
        signer: JWSSigner = ASFixtures.tppSigner,
        _ modify: (inout [String: JSONValue]) -> Void = { _ in }
    ) -> String {
        let now = ASFixtures.seconds(Date())
        var claims: [String: JSONValue] = [
            "iss": .string(clientID),
            "sub": .string(clientID),
            "aud": .string(ASFixtures.issuer + "/token"),
            "iat": .integer(now),
            "exp": .integer(now + 120),
            "jti": .string(UUID().uuidString),
        ]
        modify(&claims)
        return try! signer.sign(claims: claims)
    }

    static func assertionForm(_ assertion: String) -> String {
        "grant_type=client_credentials"
            + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
            + "&client_assertion=\(assertion)"
    }

    @Test("private_key_jwt: PS256 assertion from the software JWKS; replay, wrong aud, expiry and wrong alg refused")
    func privateKeyJWT() async throws {
        try await ASHarness().test { client in
            let registered = try await client.registerClient(method: "private_key_jwt")
            let id = registered.clientID
            let assertion = Self.assertion(clientID: id)
            let ok = try await client.token(Self.assertionForm(assertion))
            #expect(ok.status == .ok, "\(ok.errorDescription)")
            let replay = try await client.token(Self.assertionForm(assertion))
            #expect(replay.status == .unauthorized)
            #expect(replay.errorDescription.contains("jti"))
            let issuerAudience = try await client.token(
                Self.assertionForm(Self.assertion(clientID: id) { $0["aud"] = .string(ASFixtures.issuer) })
            )
            #expect(issuerAudience.status == .ok)

            let refused: [String] = [
                Self.assertion(clientID: id) { $0["aud"] = "https://elsewhere.example.com/token" },
                Self.assertion(clientID: id) { $0["exp"] = .integer(ASFixtures.seconds(Date()) - 600) },
                Self.assertion(clientID: id) { $0["sub"] = "someone-else" },
                Self.assertion(clientID: id) { $0["jti"] = nil },
                Self.assertion(clientID: id, signer: ASFixtures.tppES256Signer),  // registered PS256
                Self.assertion(
                    clientID: id,
                    signer: JWSSigner(key: .rsa(try! .init(keySize: .bits2048)), keyID: "tpp-signing-1")
                ),
                "not.a.jwt",
            ]
            for assertion in refused {
                let response = try await client.token(Self.assertionForm(assertion))
                #expect(response.status == .unauthorized, "\(response.errorDescription)")
                #expect(response.errorCode == "invalid_client")
            }
        }
    }

    @Test("a database outage is 503")
    func databaseDown() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let registered = try await client.registerClient()
            await harness.store.setAvailable(false)
            let response = try await client.token("grant_type=client_credentials&client_id=\(registered.clientID)")
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "temporarily_unavailable")
        }
    }
}
