import Foundation
import RegistrationCore
import Testing

@Suite("RegistrationValidator: request JWT and SSA rules")
struct RegistrationValidatorTests {
    static let nowSeconds = Int64(Fixtures.now.timeIntervalSince1970)

    static let envelope: [RuleCase] = [
        RuleCase("valid request", nil) { _ in },
        RuleCase("iss is not the SSA software_id", .invalidClientMetadata, claim: "iss") {
            $0.request["iss"] = "SomeOtherSoftware"
        },
        RuleCase("software_id differs from the SSA", .invalidClientMetadata, claim: "software_id") {
            $0.request["software_id"] = "SomeOtherSoftware"
        },
        RuleCase("aud names another bank", .invalidClientMetadata, claim: "aud") {
            $0.request["aud"] = "0015800000OTHERBANK"
        },
        RuleCase("aud array containing a configured value", nil) {
            $0.request["aud"] = ["https://elsewhere.example", .string(Fixtures.aspspID)]
        },
        RuleCase("aud as the issuer URL", nil) { $0.request["aud"] = "https://as.bank.example" },
        RuleCase("aud array without a configured value", .invalidClientMetadata, claim: "aud") {
            $0.request["aud"] = ["https://elsewhere.example"]
        },
        RuleCase("iat in the future beyond the skew", .invalidClientMetadata, claim: "iat") {
            $0.request["iat"] = .integer(Self.nowSeconds + 120)
        },
        RuleCase("iat in the future within the skew", nil) { $0.request["iat"] = .integer(Self.nowSeconds + 30) },
        RuleCase("iat in milliseconds", .invalidClientMetadata, claim: "iat") {
            $0.request["iat"] = .integer(Self.nowSeconds * 1000)
            $0.request["exp"] = .integer(Self.nowSeconds * 1000 + 300_000)
        },
        RuleCase("iat older than request_max_age", .invalidClientMetadata, claim: "iat") {
            $0.request["iat"] = .integer(Self.nowSeconds - 7200)
        },
        RuleCase("fractional iat accepted", nil) { $0.request["iat"] = .number(Double(Self.nowSeconds) - 9.5) },
        RuleCase("exp has passed", .invalidClientMetadata, claim: "exp") {
            $0.request["iat"] = .integer(Self.nowSeconds - 600)
            $0.request["exp"] = .integer(Self.nowSeconds - 1)
        },
        RuleCase("exp equals now", .invalidClientMetadata, claim: "exp") {
            $0.request["exp"] = .integer(Self.nowSeconds)
        },
        RuleCase("exp − iat above request_max_age", .invalidClientMetadata, claim: "exp") {
            $0.request["exp"] = .integer(Self.nowSeconds + 86_400)
        },
        RuleCase("jti too long", .invalidClientMetadata, claim: "jti") {
            $0.request["jti"] = .string(String(repeating: "j", count: 300))
        },
        RuleCase("jti missing", .invalidClientMetadata, claim: "jti") { $0.request["jti"] = nil },
        RuleCase("jti empty", .invalidClientMetadata, claim: "jti") { $0.request["jti"] = "" },
        RuleCase("iat missing", .invalidClientMetadata, claim: "iat") { $0.request["iat"] = nil },
        RuleCase("exp missing", .invalidClientMetadata, claim: "exp") { $0.request["exp"] = nil },
        RuleCase("aud missing", .invalidClientMetadata, claim: "aud") { $0.request["aud"] = nil },
        RuleCase("aud empty array", .invalidClientMetadata, claim: "aud") { $0.request["aud"] = [] },
    ]

    static let softwareStatement: [RuleCase] = [
        RuleCase("software_statement missing", .invalidSoftwareStatement, claim: "software_statement") {
            $0.statement = .absent
        },
        RuleCase("SSA older than ssa_max_age", .invalidSoftwareStatement, claim: "iat") {
            $0.ssa["iat"] = .integer(Self.nowSeconds - 3600)
        },
        RuleCase("SSA iat in the future", .invalidSoftwareStatement, claim: "iat") {
            $0.ssa["iat"] = .integer(Self.nowSeconds + 600)
        },
        RuleCase("org_status Revoked", .unapprovedSoftwareStatement, claim: "org_status") {
            $0.ssa["org_status"] = "Revoked"
        },
        RuleCase("org_status withdrawn (lower case)", .unapprovedSoftwareStatement, claim: "org_status") {
            $0.ssa["org_status"] = "withdrawn"
        },
        RuleCase("org_status unknown", .unapprovedSoftwareStatement, claim: "org_status") {
            $0.ssa["org_status"] = "Pending"
        },
        RuleCase("org_status ACTIVE in any case", nil) { $0.ssa["org_status"] = "ACTIVE" },
        RuleCase("org_status missing", .invalidSoftwareStatement, claim: "org_status") { $0.ssa["org_status"] = nil },
        RuleCase("SSA without software_jwks_endpoint", .invalidSoftwareStatement, claim: "software_jwks_endpoint") {
            $0.ssa["software_jwks_endpoint"] = nil
        },
        RuleCase("SSA software_jwks_endpoint null", .invalidSoftwareStatement, claim: "software_jwks_endpoint") {
            $0.ssa["software_jwks_endpoint"] = .null
        },
        RuleCase("SSA software_jwks_endpoint not https", .invalidSoftwareStatement, claim: "software_jwks_endpoint") {
            $0.ssa["software_jwks_endpoint"] = "http://keystore.example/x.jwks"
        },
        RuleCase("SSA without software_id", .invalidSoftwareStatement, claim: "software_id") {
            $0.ssa["software_id"] = nil
        },
        RuleCase("SSA without org_id", .invalidSoftwareStatement, claim: "org_id") { $0.ssa["org_id"] = nil },
        RuleCase("SSA without iat", .invalidSoftwareStatement, claim: "iat") { $0.ssa["iat"] = nil },
        RuleCase("SSA from an untrusted directory", .invalidSoftwareStatement, claim: "iss") {
            $0.policy.softwareStatementIssuers = ["OpenBanking Ltd"]
            $0.ssa["iss"] = "Some Other Directory"
        },
        RuleCase("SSA from a trusted directory", nil) { $0.policy.softwareStatementIssuers = ["OpenBanking Ltd"] },
        RuleCase("software_version as a string", nil) { $0.ssa["software_version"] = "2.1" },
        RuleCase("software_mode in any case", nil) { $0.ssa["software_mode"] = "LIVE" },
    ]

    static let redirectURIs: [RuleCase] = [
        RuleCase("redirect URI not in the SSA", .invalidRedirectURI, claim: "redirect_uris") {
            $0.request["redirect_uris"] = ["https://attacker.example/cb"]
        },
        RuleCase("one of two redirect URIs not in the SSA", .invalidRedirectURI, claim: "redirect_uris") {
            $0.request["redirect_uris"] = [.string(Fixtures.redirectURI), "https://tpp.example.com/callback/"]
        },
        RuleCase("both SSA redirect URIs", nil) {
            $0.request["redirect_uris"] = [.string(Fixtures.redirectURI), .string(Fixtures.otherRedirectURI)]
        },
        RuleCase("http redirect URI", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["http://tpp.example.com/callback"]
            $0.request["redirect_uris"] = ["http://tpp.example.com/callback"]
        },
        RuleCase("localhost redirect URI", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["https://localhost:8443/cb"]
            $0.request["redirect_uris"] = ["https://localhost:8443/cb"]
        },
        RuleCase("127.0.0.1 redirect URI", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["https://127.0.0.1/cb"]
            $0.request["redirect_uris"] = ["https://127.0.0.1/cb"]
        },
        RuleCase("127.1 short form redirect URI", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["https://127.1/cb"]
            $0.request["redirect_uris"] = ["https://127.1/cb"]
        },
        RuleCase("[::1] redirect URI", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["https://[::1]:8443/cb"]
            $0.request["redirect_uris"] = ["https://[::1]:8443/cb"]
        },
        RuleCase("app.localhost redirect URI", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["https://app.localhost/cb"]
            $0.request["redirect_uris"] = ["https://app.localhost/cb"]
        },
        RuleCase("redirect URI with a fragment", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["https://tpp.example.com/cb#frag"]
            $0.request["redirect_uris"] = ["https://tpp.example.com/cb#frag"]
        },
        RuleCase("relative redirect URI", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = ["/cb"]
            $0.request["redirect_uris"] = ["/cb"]
        },
        RuleCase("redirect_uris empty", .invalidRedirectURI, claim: "redirect_uris") {
            $0.request["redirect_uris"] = []
        },
        RuleCase("redirect_uris missing", .invalidRedirectURI, claim: "redirect_uris") {
            $0.request["redirect_uris"] = nil
        },
        RuleCase("redirect_uris a string", .invalidRedirectURI, claim: "redirect_uris") {
            $0.request["redirect_uris"] = .string(Fixtures.redirectURI)
        },
        RuleCase("SSA without software_redirect_uris", .invalidRedirectURI, claim: "redirect_uris") {
            $0.ssa["software_redirect_uris"] = nil
        },
    ]

    @Test("envelope rules: iss, software_id, aud, iat, exp, jti", arguments: Self.envelope)
    func envelopeRules(_ rule: RuleCase) {
        rule.check()
    }

    @Test("SSA rules: presence, age, org_status, directory", arguments: Self.softwareStatement)
    func softwareStatementRules(_ rule: RuleCase) {
        rule.check()
    }

    @Test("redirect URI rules: in the SSA, https, not loopback", arguments: Self.redirectURIs)
    func redirectURIRules(_ rule: RuleCase) {
        rule.check()
    }
}
