import Foundation
import RegistrationCore
import Testing

@Suite("RegistrationValidator: client authentication, types, scope, transport certificate")
struct ClientMetadataRuleTests {
    static let authentication: [RuleCase] = [
        RuleCase("auth method not supported by policy", .invalidClientMetadata, claim: "token_endpoint_auth_method") {
            $0.request["token_endpoint_auth_method"] = "client_secret_post"
        },
        RuleCase("unknown auth method", .invalidClientMetadata, claim: "token_endpoint_auth_method") {
            $0.request["token_endpoint_auth_method"] = "none"
        },
        RuleCase("auth method missing", .invalidClientMetadata, claim: "token_endpoint_auth_method") {
            $0.request["token_endpoint_auth_method"] = nil
        },
        RuleCase("tls_client_auth without a subject DN", .invalidClientMetadata, claim: "tls_client_auth_subject_dn") {
            $0.request["tls_client_auth_subject_dn"] = nil
        },
        RuleCase("tls_client_auth with a blank subject DN", .invalidClientMetadata, claim: "tls_client_auth_subject_dn")
        {
            $0.request["tls_client_auth_subject_dn"] = "  "
        },
        RuleCase("subject DN of another certificate", .invalidClientMetadata, claim: "tls_client_auth_subject_dn") {
            $0.request["tls_client_auth_subject_dn"] = "CN=SomeoneElse,OU=0015800001041REAAY,O=OpenBanking,C=GB"
        },
        RuleCase("subject DN missing an attribute", .invalidClientMetadata, claim: "tls_client_auth_subject_dn") {
            $0.request["tls_client_auth_subject_dn"] = "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking"
        },
        RuleCase("subject DN unparseable", .invalidClientMetadata, claim: "tls_client_auth_subject_dn") {
            $0.request["tls_client_auth_subject_dn"] = "this is not a DN"
        },
        RuleCase(
            "private_key_jwt without signing alg",
            .invalidClientMetadata,
            claim: "token_endpoint_auth_signing_alg"
        ) {
            $0.request["token_endpoint_auth_method"] = "private_key_jwt"
        },
        RuleCase("private_key_jwt with RS256", .invalidClientMetadata, claim: "token_endpoint_auth_signing_alg") {
            $0.request["token_endpoint_auth_method"] = "private_key_jwt"
            $0.request["token_endpoint_auth_signing_alg"] = "RS256"
        },
        RuleCase("private_key_jwt with PS256", nil) {
            $0.request["token_endpoint_auth_method"] = "private_key_jwt"
            $0.request["token_endpoint_auth_signing_alg"] = "PS256"
        },
        RuleCase(
            "client_secret_jwt (when enabled) without signing alg",
            .invalidClientMetadata,
            claim: "token_endpoint_auth_signing_alg"
        ) {
            $0.policy.tokenEndpointAuthMethods.insert(.clientSecretJWT)
            $0.request["token_endpoint_auth_method"] = "client_secret_jwt"
        },
        RuleCase("client_secret_basic", nil) { $0.request["token_endpoint_auth_method"] = "client_secret_basic" },
    ]

    static let types: [RuleCase] = [
        RuleCase("grant type implicit", .invalidClientMetadata, claim: "grant_types") {
            $0.request["grant_types"] = ["implicit"]
        },
        RuleCase("grant types empty", .invalidClientMetadata, claim: "grant_types") { $0.request["grant_types"] = [] },
        RuleCase("CIBA grant type", nil) { $0.request["grant_types"] = ["urn:openid:params:grant-type:ciba"] },
        RuleCase("response type token", .invalidClientMetadata, claim: "response_types") {
            $0.request["response_types"] = ["token"]
        },
        RuleCase("response type code id_token token", .invalidClientMetadata, claim: "response_types") {
            $0.request["response_types"] = ["code id_token token"]
        },
        RuleCase("response type id_token code (any order)", nil) { $0.request["response_types"] = ["id_token code"] },
        RuleCase("response type code", nil) { $0.request["response_types"] = ["code"] },
        RuleCase("scope outside the SSA roles", .invalidClientMetadata, claim: "scope") {
            $0.ssa["software_roles"] = ["PISP"]
            $0.request["scope"] = "openid accounts"
        },
        RuleCase("scope fundsconfirmations without CBPII", .invalidClientMetadata, claim: "scope") {
            $0.request["scope"] = "fundsconfirmations"
        },
        RuleCase("scope with CBPII role", nil) {
            $0.ssa["software_roles"] = ["CBPII"]
            $0.request["scope"] = "openid fundsconfirmations"
        },
        RuleCase("scope longer than 256", .invalidClientMetadata, claim: "scope") {
            $0.request["scope"] = .string(Array(repeating: "openid", count: 40).joined(separator: " "))
        },
        RuleCase("scope as an array", .invalidClientMetadata, claim: "scope") { $0.request["scope"] = ["openid"] },
        RuleCase("application_type desktop", .invalidClientMetadata, claim: "application_type") {
            $0.request["application_type"] = "desktop"
        },
        RuleCase("application_type native (DCR 3.4)", nil) { $0.request["application_type"] = "native" },
        RuleCase("id_token_signed_response_alg none", .invalidClientMetadata, claim: "id_token_signed_response_alg") {
            $0.request["id_token_signed_response_alg"] = "none"
        },
        RuleCase("id_token_signed_response_alg as array", .invalidClientMetadata, claim: "id_token_signed_response_alg")
        {
            $0.request["id_token_signed_response_alg"] = ["PS256"]
        },
        RuleCase("request_object_signing_alg RS256", .invalidClientMetadata, claim: "request_object_signing_alg") {
            $0.request["request_object_signing_alg"] = "RS256"
        },
        RuleCase("request_object_signing_alg ES256", nil) { $0.request["request_object_signing_alg"] = "ES256" },
    ]

    static let transport: [RuleCase] = [
        RuleCase("no client certificate presented", .invalidClientMetadata) { $0.presented = nil },
        RuleCase("legacy certificate CN is another software", .invalidClientMetadata, claim: "software_id") {
            $0.ssa["software_id"] = "AnotherSoftware0000001"
            $0.request["iss"] = "AnotherSoftware0000001"
            $0.request["software_id"] = nil
        },
        RuleCase("legacy certificate OU is another org", .invalidClientMetadata, claim: "org_id") {
            $0.ssa["org_id"] = "0015800000OTHERORG"
        },
        RuleCase("legacy certificate of another software but in the software JWKS", nil) {
            $0.ssa["software_id"] = "AnotherSoftware0000001"
            $0.request["iss"] = "AnotherSoftware0000001"
            $0.request["software_id"] = nil
            $0.thumbprints = [Fixtures.legacyIdentity.thumbprintS256]
        },
        RuleCase("OBWAC certificate not in the software JWKS", .invalidClientMetadata, claim: "software_jwks_endpoint")
        {
            $0.presented = Fixtures.obwacIdentity
            $0.request["tls_client_auth_subject_dn"] = .string(Fixtures.obwacIdentity.subjectDN(.openssl))
        },
        RuleCase(
            "OBWAC certificate with unknown software JWKS",
            .invalidClientMetadata,
            claim: "software_jwks_endpoint"
        ) {
            $0.presented = Fixtures.obwacIdentity
            $0.thumbprints = nil
            $0.request["tls_client_auth_subject_dn"] = .string(Fixtures.obwacIdentity.subjectDN(.openssl))
        },
        RuleCase("OBWAC certificate in the software JWKS with use tls", nil) {
            $0.presented = Fixtures.obwacIdentity
            $0.thumbprints = [Fixtures.obwacIdentity.thumbprintS256]
            $0.request["tls_client_auth_subject_dn"] = .string(Fixtures.obwacIdentity.subjectDN(.openssl))
        },
        RuleCase("OBWAC certificate of the SSA org with the organisation fallback on", nil) {
            $0.presented = Fixtures.obwacIdentity
            $0.policy.acceptOrganisationCertificates = true
            $0.request["tls_client_auth_subject_dn"] = .string(Fixtures.obwacIdentity.subjectDN(.openssl))
        },
        RuleCase(
            "OBWAC certificate of another org with the organisation fallback on",
            .invalidClientMetadata,
            claim: "software_jwks_endpoint"
        ) {
            $0.presented = Fixtures.obwacIdentity
            $0.policy.acceptOrganisationCertificates = true
            $0.ssa["org_id"] = "0015800000OTHERORG"
            $0.request["tls_client_auth_subject_dn"] = .string(Fixtures.obwacIdentity.subjectDN(.openssl))
        },
    ]

    @Test("client authentication rules", arguments: Self.authentication)
    func authenticationRules(_ rule: RuleCase) {
        rule.check()
    }

    @Test("grant types, response types, scope, application type, algorithms", arguments: Self.types)
    func typeRules(_ rule: RuleCase) {
        rule.check()
    }

    @Test("the transport certificate belongs to the SSA's software", arguments: Self.transport)
    func transportRules(_ rule: RuleCase) {
        rule.check()
    }

    @Test("empty or absent scope registers the defaults the roles allow")
    func defaultScopes() throws {
        for scope in [JSONValue.string(""), .string("   "), .null] {
            var scenario = Scenario()
            scenario.request["scope"] = scope
            #expect(try scenario.run().get().scope == "accounts openid payments")
        }
        var restricted = Scenario()
        restricted.request["scope"] = nil
        restricted.ssa["software_roles"] = ["AISP"]
        restricted.policy.defaultScopes = ["openid", "accounts", "payments"]
        #expect(try restricted.run().get().scopes == ["accounts", "openid"])
    }

    @Test("the validated registration carries the registered values")
    func validatedValues() throws {
        var scenario = Scenario()
        scenario.request["response_types"] = ["id_token code", "code"]
        scenario.request["grant_types"] = ["client_credentials", "client_credentials"]
        scenario.request["redirect_uris"] = [.string(Fixtures.redirectURI), .string(Fixtures.redirectURI)]
        scenario.request["client_name"] = "Name From Request"
        scenario.request["contacts"] = ["ops@tpp.example.com"]
        scenario.request["unknown_claim"] = "ignored"
        let registration = try scenario.run().get()
        #expect(registration.softwareID == Fixtures.softwareID)
        #expect(registration.organisationID == Fixtures.orgID)
        #expect(registration.redirectURIs == [Fixtures.redirectURI])
        #expect(registration.grantTypes == ["client_credentials"])
        #expect(registration.responseTypes == ["code id_token", "code"])
        #expect(registration.tokenEndpointAuthMethod == .tlsClientAuth)
        #expect(registration.tlsClientAuthSubjectDN == Fixtures.legacyDN)
        #expect(registration.scope == "openid accounts payments")
        #expect(registration.idTokenSignedResponseAlgorithm == .ps256)
        #expect(registration.transportCertificateThumbprint == Fixtures.legacyIdentity.thumbprintS256)
        #expect(registration.requestJWTID == "3c7b5ba6-5d6c-4a52-9b5e-3b4c2b7f0001")
        #expect(!registration.requiresClientSecret)
        // RFC 7591 §2.3: the SSA's values win over the request's.
        #expect(registration.additionalMetadata["client_name"] == "Sandbox TPP App")
        #expect(registration.additionalMetadata["software_version"] == "1.5")
        #expect(registration.additionalMetadata["jwks_uri"] == Fixtures.ssaClaims()["software_jwks_endpoint"])
        #expect(registration.additionalMetadata["contacts"] == ["ops@tpp.example.com"])
        #expect(registration.additionalMetadata["unknown_claim"] == nil)
    }

    @Test("a DN sent with another auth method is not registered")
    func subjectDNIgnoredForOtherMethods() throws {
        var scenario = Scenario()
        scenario.request["token_endpoint_auth_method"] = "private_key_jwt"
        scenario.request["token_endpoint_auth_signing_alg"] = "ES256"
        scenario.request["tls_client_auth_subject_dn"] = "CN=whatever"
        let registration = try scenario.run().get()
        #expect(registration.tlsClientAuthSubjectDN == nil)
        #expect(registration.tokenEndpointAuthSigningAlgorithm == .es256)
    }
}
