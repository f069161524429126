import Foundation
import HTTPTypes
import HummingbirdTesting
import RegistrationCore
import Testing

@testable import AuthorizationServer

@Suite("POST /introspect")
struct IntrospectionEndpointTests {
    @Test("an active token is described with client_id, scope, exp and cnf")
    func active() async throws {
        try await ASHarness().test { client in
            let registered = try await client.registerClient()
            let token = try await client.accessToken(for: registered.clientID)
            let response = try await client.introspect(token)
            #expect(response.status == .ok)
            let body = response.jsonObject
            #expect(body["active"] == true)
            #expect(body["client_id"] == .string(registered.clientID))
            #expect(body["scope"] == "openid accounts payments")
            #expect(body["token_type"] == "Bearer")
            #expect(body["iss"] == .string(ASFixtures.issuer))
            #expect(body["cnf"]?.objectValue?["x5t#S256"] == .string(ASFixtures.thumbprint()))
        }
    }

    @Test("garbage, registration access tokens, expired and revoked tokens are inactive")
    func inactive() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let registered = try await client.registerClient()
            let token = try await client.accessToken(for: registered.clientID)
            for candidate in ["garbage", registered.registrationAccessToken, "a.b.c"] {
                let response = try await client.introspect(candidate)
                #expect(response.jsonObject == ["active": false])
            }
            harness.clock.advance(by: 601)
            #expect(try await client.introspect(token).jsonObject["active"] == false)
            harness.clock.advance(by: -601)
            #expect(try await client.introspect(token).jsonObject["active"] == true)
            let claims = try #require(harness.dependencies.tokenIssuer.verify(token, now: Date()))
            try await harness.store.revokeToken(jti: claims.jwtID)
            #expect(try await client.introspect(token).jsonObject["active"] == false)
        }
    }

    @Test("callers must authenticate with HTTP Basic; a missing token is invalid_request")
    func authentication() async throws {
        try await ASHarness().test { client in
            let wrong = try await client.introspect("x", secret: "wrong")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_client")
            #expect(wrong.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            let anonymous = try await client.send(
                .post,
                "/introspect",
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "token=x"
            )
            #expect(anonymous.status == .unauthorized)
            let basic = Data("\(ASFixtures.introspectionUser):\(ASFixtures.introspectionSecret)".utf8)
                .base64EncodedString()
            let missing = try await client.send(
                .post,
                "/introspect",
                headers: [.authorization: "Basic \(basic)", .contentType: "application/x-www-form-urlencoded"],
                body: "token_type_hint=access_token"
            )
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode == "invalid_request")
        }
    }
}
