import Foundation
import RegistrationCore
import Testing

@Suite("RegistrationResponse: the 201 body of open-banking.md §5")
struct RegistrationResponseTests {
    static let issuedAt = Date(timeIntervalSince1970: 1_760_000_123.987)

    @Test("scope and algs are strings, times integer seconds, SSA flattened, no secret for tls_client_auth")
    func shape() throws {
        let registration = try Scenario().run().get()
        let body = RegistrationResponse.json(
            for: registration,
            clientID: "client-1",
            clientIDIssuedAt: Self.issuedAt,
            clientSecret: nil,
            registrationAccessToken: "rat",
            registrationClientURI: "https://as.bank.example/register/client-1"
        )
        #expect(body["client_id"] == "client-1")
        #expect(body["client_id_issued_at"] == .integer(1_760_000_123))
        #expect(body["scope"] == "openid accounts payments")
        #expect(body["id_token_signed_response_alg"] == "PS256")
        #expect(body["request_object_signing_alg"] == "PS256")
        #expect(body["token_endpoint_auth_method"] == "tls_client_auth")
        #expect(body["tls_client_auth_subject_dn"] == .string(Fixtures.legacyDN))
        #expect(body["redirect_uris"] == [.string(Fixtures.redirectURI)])
        #expect(body["grant_types"] == ["client_credentials", "authorization_code", "refresh_token"])
        #expect(body["response_types"] == ["code id_token"])
        #expect(body["tls_client_certificate_bound_access_tokens"] == true)
        #expect(body["software_statement"] == .string(registration.softwareStatement))
        #expect(body["client_secret"] == nil)
        #expect(body["client_secret_expires_at"] == nil)
        #expect(body["registration_access_token"] == "rat")
        #expect(body["registration_client_uri"] == "https://as.bank.example/register/client-1")
        // Flattened SSA claims, types as published.
        #expect(body["org_id"] == .string(Fixtures.orgID))
        #expect(body["software_roles"] == ["AISP", "PISP"])
        #expect(body["software_client_name"] == "Sandbox TPP App")
        #expect(
            body["organisation_competent_authority_claims"] == ["authority_id": "FCAGBR", "registration_id": "123456"]
        )
        #expect(body["software_on_behalf_of_org"] == .null)
        #expect(body["client_name"] == "Sandbox TPP App")
        // The SSA's token claims describe the SSA, not the client.
        #expect(body["iss"] == nil && body["iat"] == nil && body["jti"] == nil)
        for (name, value) in body where name.hasSuffix("_alg") || name == "scope" {
            #expect(value.stringValue != nil, "\(name) must be a string")
        }
    }

    @Test("a secret-based client gets client_secret and client_secret_expires_at 0")
    func secret() throws {
        var scenario = Scenario()
        scenario.request["token_endpoint_auth_method"] = "client_secret_basic"
        let registration = try scenario.run().get()
        #expect(registration.requiresClientSecret)
        let body = RegistrationResponse.json(
            for: registration,
            clientID: "client-2",
            clientIDIssuedAt: Self.issuedAt,
            clientSecret: "s3cret",
            registrationAccessToken: nil,
            registrationClientURI: nil
        )
        #expect(body["client_secret"] == "s3cret")
        #expect(body["client_secret_expires_at"] == .integer(0))
        #expect(body["tls_client_auth_subject_dn"] == nil)
        #expect(body["registration_access_token"] == nil)
    }

    @Test("serialisation is deterministic: sorted keys, compact, parses back")
    func serialisation() throws {
        let registration = try Scenario().run().get()
        func render() -> [UInt8] {
            RegistrationResponse.body(
                for: registration,
                clientID: "client-1",
                clientIDIssuedAt: Self.issuedAt,
                clientSecret: nil,
                registrationAccessToken: "rat",
                registrationClientURI: nil
            )
        }
        let bytes = render()
        #expect(bytes == render())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"application_type":"web","client_id":"client-1","client_id_issued_at":1760000123,"client_name""#
            )
        )
        #expect(text.contains(#""scope":"openid accounts payments""#))
        #expect(text.contains(#""software_jwks_endpoint":"https://keystore.openbankingtest.org.uk/"#))
        guard case .object(let parsed) = try JSONValue.parse(bytes) else {
            Issue.record("not an object")
            return
        }
        #expect(parsed["client_id_issued_at"] == .integer(1_760_000_123))
        #expect(parsed["software_version"] == "1.5")
    }

    @Test("error bodies carry exactly error and error_description")
    func errorBody() throws {
        var scenario = Scenario()
        scenario.request["redirect_uris"] = ["https://attacker.example/cb"]
        guard case .failure(let error) = scenario.run() else {
            Issue.record("expected a failure")
            return
        }
        #expect(Set(error.json.keys) == ["error", "error_description"])
        #expect(error.json["error"] == "invalid_redirect_uri")
    }
}
