import Foundation
import RegistrationCore
import Testing

@Suite("Claims: JSON of the wrong type is a precise error naming the claim")
struct ClaimParsingTests {
    struct WrongType: Sendable, CustomTestStringConvertible {
        let claim: String
        let value: JSONValue
        let code: RegistrationError.Code
        var testDescription: String { "\(self.claim) = \(self.value.serialized())" }
    }

    static let requestCases: [WrongType] = [
        WrongType(claim: "iss", value: 42, code: .invalidClientMetadata),
        WrongType(claim: "aud", value: 5, code: .invalidClientMetadata),
        WrongType(claim: "aud", value: [1], code: .invalidClientMetadata),
        WrongType(claim: "iat", value: "1760000000", code: .invalidClientMetadata),
        WrongType(claim: "exp", value: true, code: .invalidClientMetadata),
        WrongType(claim: "jti", value: 1, code: .invalidClientMetadata),
        WrongType(claim: "redirect_uris", value: "https://tpp.example.com/callback", code: .invalidRedirectURI),
        WrongType(claim: "redirect_uris", value: [1], code: .invalidRedirectURI),
        WrongType(claim: "token_endpoint_auth_method", value: ["tls_client_auth"], code: .invalidClientMetadata),
        WrongType(claim: "tls_client_auth_subject_dn", value: ["CN": "x"], code: .invalidClientMetadata),
        WrongType(claim: "token_endpoint_auth_signing_alg", value: ["PS256"], code: .invalidClientMetadata),
        WrongType(claim: "grant_types", value: "client_credentials", code: .invalidClientMetadata),
        WrongType(claim: "response_types", value: "code", code: .invalidClientMetadata),
        WrongType(claim: "scope", value: ["openid", "accounts"], code: .invalidClientMetadata),
        WrongType(claim: "software_statement", value: 1, code: .invalidSoftwareStatement),
        WrongType(claim: "application_type", value: 1, code: .invalidClientMetadata),
        WrongType(claim: "id_token_signed_response_alg", value: ["PS256"], code: .invalidClientMetadata),
        WrongType(claim: "request_object_signing_alg", value: ["PS256"], code: .invalidClientMetadata),
        WrongType(claim: "software_id", value: 1, code: .invalidClientMetadata),
        WrongType(claim: "client_name", value: 1, code: .invalidClientMetadata),
        WrongType(claim: "contacts", value: "ops@tpp.example.com", code: .invalidClientMetadata),
    ]

    static let ssaCases: [WrongType] = [
        WrongType(claim: "iss", value: 1, code: .invalidSoftwareStatement),
        WrongType(claim: "iat", value: "yesterday", code: .invalidSoftwareStatement),
        WrongType(claim: "software_id", value: ["x"], code: .invalidSoftwareStatement),
        WrongType(
            claim: "software_redirect_uris",
            value: "https://tpp.example.com/callback",
            code: .invalidSoftwareStatement
        ),
        WrongType(claim: "software_roles", value: 1, code: .invalidSoftwareStatement),
        WrongType(claim: "software_version", value: true, code: .invalidSoftwareStatement),
        WrongType(claim: "software_mode", value: 1, code: .invalidSoftwareStatement),
        WrongType(claim: "software_client_name", value: ["x"], code: .invalidSoftwareStatement),
        WrongType(claim: "software_jwks_endpoint", value: ["https://x"], code: .invalidSoftwareStatement),
        WrongType(claim: "org_status", value: true, code: .invalidSoftwareStatement),
        WrongType(claim: "org_id", value: 15, code: .invalidSoftwareStatement),
        WrongType(claim: "org_name", value: 1, code: .invalidSoftwareStatement),
    ]

    @Test("request claims of the wrong type", arguments: Self.requestCases)
    func requestWrongType(_ testCase: WrongType) {
        var claims = Fixtures.requestClaims()
        claims["software_statement"] = "a.b.c"
        claims[testCase.claim] = testCase.value
        #expect {
            _ = try RegistrationRequest(claims: claims)
        } throws: { error in
            guard let error = error as? RegistrationError else { return false }
            return error.code == testCase.code && error.claim == testCase.claim
                && error.errorDescription.contains("'\(testCase.claim)'")
        }
    }

    @Test("SSA claims of the wrong type", arguments: Self.ssaCases)
    func ssaWrongType(_ testCase: WrongType) {
        var claims = Fixtures.ssaClaims()
        claims[testCase.claim] = testCase.value
        #expect {
            _ = try SoftwareStatement(claims: claims)
        } throws: { error in
            guard let error = error as? RegistrationError else { return false }
            return error.code == testCase.code && error.claim == testCase.claim
        }
    }

    @Test("SSA claims are read liberally and kept in full")
    func liberalSSA() throws {
        var claims = Fixtures.ssaClaims()
        claims["software_version"] = 2
        claims["software_roles"] = "AISP"
        claims["software_mode"] = "live"
        claims["org_status"] = "active"
        claims["custom_directory_claim"] = ["nested": [1, 2]]
        let ssa = try SoftwareStatement(claims: claims)
        #expect(ssa.softwareVersion == "2")
        #expect(ssa.softwareRoles == ["AISP"])
        #expect(ssa.isLive)
        #expect(ssa.organisationStatus == .active)
        #expect(ssa.softwareOnBehalfOfOrg == nil)
        #expect(ssa.claims["custom_directory_claim"] == ["nested": [1, 2]])
        #expect(try SoftwareStatement(claims: Fixtures.ssaClaims()).softwareVersion == "1.5")
    }

    @Test("request and SSA read from signed JWS; a non-object payload is refused with the right code")
    func fromJWS() throws {
        let ssaJWS = try CompactJWS.parse(Fixtures.ssaJWS())
        #expect(try SoftwareStatement(jws: ssaJWS).softwareID == Fixtures.softwareID)
        var claims = Fixtures.requestClaims()
        claims["software_statement"] = .string(ssaJWS.serialization)
        let request = try RegistrationRequest(jws: try CompactJWS.parse(try Fixtures.rsaSigner.sign(claims: claims)))
        #expect(request.audience == [Fixtures.aspspID])
        #expect(request.softwareStatement == ssaJWS.serialization)

        let array = try CompactJWS.parse(try Fixtures.rsaSigner.sign(payload: Array("[1]".utf8)))
        #expect(throws: RegistrationError.requestJWS(.payloadNotJSONObject)) { try RegistrationRequest(jws: array) }
        #expect(throws: RegistrationError.softwareStatementJWS(.payloadNotJSONObject)) {
            try SoftwareStatement(jws: array)
        }
    }
}
