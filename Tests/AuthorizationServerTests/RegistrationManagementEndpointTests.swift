import Foundation
import HTTPTypes
import HummingbirdTesting
import RegistrationCore
import Testing

@testable import AuthorizationServer

@Suite("GET, PUT, DELETE /register/{client_id}")
struct RegistrationManagementEndpointTests {
    @Test("GET with the registration access token or with an access token of the client")
    func read() async throws {
        try await ASHarness().test { client in
            let registered = try await client.registerClient(method: "client_secret_basic")
            let byRegistrationToken = try await client.manage(
                .get,
                registered.clientID,
                bearer: registered.registrationAccessToken
            )
            #expect(byRegistrationToken.status == .ok)
            #expect(byRegistrationToken.headers[.cacheControl] == "no-store")
            let body = byRegistrationToken.jsonObject
            #expect(body["client_id"] == .string(registered.clientID))
            #expect(body["client_secret"] == nil)
            #expect(body["registration_access_token"] == nil)
            #expect(body["scope"] == "openid accounts payments")

            let tls = try await client.registerClient()
            let accessToken = try await client.accessToken(for: tls.clientID)
            let byAccessToken = try await client.manage(.get, tls.clientID, bearer: accessToken)
            #expect(byAccessToken.status == .ok)
            #expect(byAccessToken.jsonObject["client_id"] == .string(tls.clientID))
        }
    }

    @Test("401 without a certificate, without a token, with a wrong token or a token bound to another certificate")
    func unauthorized() async throws {
        try await ASHarness().test { client in
            let registered = try await client.registerClient()
            let accessToken = try await client.accessToken(for: registered.clientID)
            let cases: [(String?, HTTPFields, String)] = [
                (registered.registrationAccessToken, [:], "invalid_client"),
                (nil, ASFixtures.identityHeaders(), "invalid_token"),
                ("not-the-token", ASFixtures.identityHeaders(), "invalid_token"),
                (accessToken, ASFixtures.identityHeaders(ASFixtures.pki.obwacTransport), "invalid_token"),
                (
                    registered.registrationAccessToken, ASFixtures.identityHeaders(ASFixtures.pki.obwacTransport),
                    "invalid_token"
                ),
            ]
            for (bearer, identity, code) in cases {
                let response = try await client.manage(.get, registered.clientID, bearer: bearer, identity: identity)
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == code)
                #expect(response.headers[.wwwAuthenticate] != nil)
            }
            // The token survived all that: it is still good.
            #expect(try await client.manage(.get, registered.clientID, bearer: accessToken).status == .ok)
        }
    }

    @Test("another client's id is 403; an unknown id is 401 and revokes the presented token")
    func otherAndUnknownClients() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let first = try await client.registerClient()
            let second = try await client.registerClient()
            let token = try await client.accessToken(for: first.clientID)
            let other = try await client.manage(.get, second.clientID, bearer: token)
            #expect(other.status == .forbidden)
            #expect(try await client.manage(.get, first.clientID, bearer: token).status == .ok)

            let unknown = try await client.manage(.get, "no-such-client", bearer: token)
            #expect(unknown.status == .unauthorized)
            #expect(unknown.headers[.wwwAuthenticate] != nil)
            let revoked = try await client.manage(.get, first.clientID, bearer: token)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.errorCode == "invalid_token")
        }
    }

    @Test("PUT re-validates a full request JWT, keeps client_id, returns 200; a bad one is 400")
    func update() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let registered = try await client.registerClient()
            let jwt = ASFixtures.requestJWT { $0["scope"] = "openid accounts" }
            let response = try await client.manage(
                .put,
                registered.clientID,
                bearer: registered.registrationAccessToken,
                body: jwt
            )
            #expect(response.status == .ok, "\(response.errorDescription)")
            #expect(response.jsonObject["client_id"] == .string(registered.clientID))
            #expect(response.jsonObject["scope"] == "openid accounts")
            let stored = try #require(try await harness.store.client(id: registered.clientID))
            #expect(stored.scope == "openid accounts")
            #expect(
                stored.clientIDIssuedAt
                    == registered.body["client_id_issued_at"].flatMap {
                        if case .integer(let v) = $0 { v } else { nil }
                    }
            )

            let replayed = try await client.manage(
                .put,
                registered.clientID,
                bearer: registered.registrationAccessToken,
                body: jwt
            )
            #expect(replayed.status == .badRequest)
            #expect(replayed.errorCode == "invalid_client_metadata")
            let badRedirect = ASFixtures.requestJWT { $0["redirect_uris"] = ["http://localhost/cb"] }
            let invalid = try await client.manage(
                .put,
                registered.clientID,
                bearer: registered.registrationAccessToken,
                body: badRedirect
            )
            #expect(invalid.errorCode == "invalid_redirect_uri")

            // Switching to a secret-based method issues a secret once.
            let toSecret = ASFixtures.requestJWT(method: "client_secret_basic")
            let switched = try await client.manage(
                .put,
                registered.clientID,
                bearer: registered.registrationAccessToken,
                body: toSecret
            )
            #expect(switched.status == .ok)
            #expect(switched.jsonObject["client_secret"]?.stringValue != nil)
        }
    }

    @Test("DELETE is 204; afterwards the client's tokens stop working and GET is 401")
    func delete() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let registered = try await client.registerClient()
            let token = try await client.accessToken(for: registered.clientID)
            let deleted = try await client.manage(.delete, registered.clientID, bearer: token)
            #expect(deleted.status == .noContent)
            #expect(try await harness.store.client(id: registered.clientID) == nil)

            let read = try await client.manage(.get, registered.clientID, bearer: token)
            #expect(read.status == .unauthorized)
            let byRegistrationToken = try await client.manage(
                .get,
                registered.clientID,
                bearer: registered.registrationAccessToken
            )
            #expect(byRegistrationToken.status == .unauthorized)
            let newToken = try await client.token("grant_type=client_credentials&client_id=\(registered.clientID)")
            #expect(newToken.status == .unauthorized)
            #expect(newToken.errorCode == "invalid_client")
            let introspection = try await client.introspect(token)
            #expect(introspection.jsonObject["active"] == false)
        }
    }

    @Test("a database outage is 503")
    func databaseDown() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let registered = try await client.registerClient()
            await harness.store.setAvailable(false)
            let response = try await client.manage(
                .get,
                registered.clientID,
                bearer: registered.registrationAccessToken
            )
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "temporarily_unavailable")
        }
    }
}
