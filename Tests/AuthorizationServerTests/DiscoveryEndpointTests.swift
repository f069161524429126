import Foundation
import HTTPTypes
import HummingbirdTesting
import RegistrationCore
import Testing

@testable import AuthorizationServer

@Suite("GET /.well-known/openid-configuration and GET /jwks")
struct DiscoveryEndpointTests {
    @Test("discovery is served without a client certificate and advertises what issue 3 lists")
    func discovery() async throws {
        try await ASHarness().test { client in
            let response = try await client.send(.get, "/.well-known/openid-configuration")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let document = response.jsonObject
            let issuer = ASFixtures.issuer
            #expect(document["issuer"] == .string(issuer))
            #expect(document["registration_endpoint"] == .string(issuer + "/register"))
            #expect(document["token_endpoint"] == .string(issuer + "/token"))
            #expect(document["jwks_uri"] == .string(issuer + "/jwks"))
            #expect(document["introspection_endpoint"] == .string(issuer + "/introspect"))
            #expect(document["authorization_endpoint"] == nil)
            #expect(document["token_endpoint_auth_signing_alg_values_supported"] == ["PS256", "ES256"])
            #expect(document["request_object_signing_alg_values_supported"] == ["PS256", "ES256"])
            #expect(document["id_token_signing_alg_values_supported"] == ["PS256", "ES256"])
            #expect(document["response_types_supported"] == ["code", "code id_token"])
            #expect(document["tls_client_certificate_bound_access_tokens"] == true)
            #expect(
                document["token_endpoint_auth_methods_supported"]
                    == ["client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth"]
            )
            let scopes = document["scopes_supported"]?.arrayValue ?? []
            #expect(Set(scopes) == ["openid", "accounts", "payments", "fundsconfirmations"])
            #expect(document["grant_types_supported"]?.arrayValue?.contains("client_credentials") == true)
            let aliases = document["mtls_endpoint_aliases"]?.objectValue ?? [:]
            #expect(aliases["token_endpoint"] == .string(issuer + "/token"))
            #expect(aliases["registration_endpoint"] == .string(issuer + "/register"))
        }
    }

    @Test("mtls_base_url and authorization_endpoint are advertised when configured; introspection only when enabled")
    func optionalMembers() async throws {
        var configuration = ASFixtures.configuration(introspection: false)
        configuration.server.mtlsBaseURL = "https://matls.as.example.com"
        configuration.server.authorizationEndpoint = "https://auth.bank.example.com/authorize"
        try await ASHarness(configuration: configuration).test { client in
            let document = try await client.send(.get, "/.well-known/openid-configuration").jsonObject
            #expect(document["authorization_endpoint"] == "https://auth.bank.example.com/authorize")
            #expect(document["introspection_endpoint"] == nil)
            let aliases = document["mtls_endpoint_aliases"]?.objectValue ?? [:]
            #expect(aliases["token_endpoint"] == "https://matls.as.example.com/token")
            let introspection = try await client.send(.post, "/introspect", body: "token=x")
            #expect(introspection.status == .notFound)
            #expect(introspection.errorCode == "invalid_request")
        }
    }

    @Test("the JWKS holds the token-signing public key with kid, use and alg, and verifies issued tokens")
    func jwks() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            let response = try await client.send(.get, "/jwks")
            #expect(response.status == .ok)
            let keySet = try JSONWebKeySet(parsing: Array(buffer: response.body))
            #expect(keySet.keys.count == 1)
            let key = try #require(keySet.keys.first)
            let configuration = ASFixtures.configuration()
            #expect(key.keyID == configuration.tokens.signingKeyID)
            #expect(key.use == "sig")
            #expect(key.algorithm == "ES256")
            let token = try harness.dependencies.tokenIssuer.issue(
                clientID: "c1",
                scope: "accounts",
                certificateThumbprint: "t",
                now: Date()
            )
            #expect(throws: Never.self) {
                try JWSVerifier.verify(CompactJWS.parse(token.value), in: keySet, allowedAlgorithms: [.es256])
            }
        }
    }

    @Test("unknown paths are JSON 404s")
    func unknownPath() async throws {
        try await ASHarness().test { client in
            let response = try await client.send(.get, "/nope")
            #expect(response.status == .notFound)
            #expect(response.errorCode == "invalid_request")
        }
    }
}
