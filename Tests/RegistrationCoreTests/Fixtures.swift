import Crypto
import Foundation
import MTLSIdentity
import OpenBankingSandbox
import RegistrationCore
import X509
import _CryptoExtras

/// Keys, certificates and claims shared by the RegistrationCore tests. RSA keys are generated once
/// per test process (two of them: the TPP's and an attacker's).
enum Fixtures {
    static let rsaKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let attackerRSAKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let p256Key = P256.Signing.PrivateKey()
    static let directoryKey = P256.Signing.PrivateKey()
    static let pki: SandboxPKI = try! SandboxPKI.shared()

    static let now = Date(timeIntervalSince1970: 1_760_000_000)
    static let softwareID = "2ZVHy1MEB0Ar8ov2lgcsMM"
    static let orgID = "0015800001041REAAY"
    static let aspspID = "0015800000jfwxXAAQ"
    static let redirectURI = "https://tpp.example.com/callback"
    static let otherRedirectURI = "https://tpp.example.com/other"
    static let legacyDN = "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB"

    static let rsaSigner = JWSSigner(key: .rsa(Self.rsaKey), keyID: "tpp-signing-1")
    static let es256Signer = JWSSigner(key: .p256(Self.p256Key), keyID: "tpp-signing-ec")
    static let directorySigner = JWSSigner(key: .p256(Self.directoryKey), keyID: "directory-kid")

    static var policy: RegistrationPolicy {
        RegistrationPolicy(audiences: [Self.aspspID, "https://as.bank.example"])
    }

    static func chain(_ leaf: IssuedCertificate) -> ClientIdentity {
        try! ClientIdentity(validatedChain: [
            leaf.certificate, Self.pki.issuingCA.certificate, Self.pki.root.certificate,
        ])
    }

    static var legacyIdentity: ClientIdentity { Self.chain(Self.pki.transport) }
    static var obwacIdentity: ClientIdentity { Self.chain(Self.pki.obwacTransport) }

    static func ssaClaims(now: Date = Self.now) -> [String: JSONValue] {
        [
            "iss": "OpenBanking Ltd",
            "iat": .integer(Int64(now.timeIntervalSince1970) - 60),
            "jti": "ssa-jti-1",
            "software_environment": "sandbox",
            "software_mode": "Test",
            "software_id": .string(Self.softwareID),
            "software_client_id": .string(Self.softwareID),
            "software_client_name": "Sandbox TPP App",
            "software_client_description": "An app",
            "software_version": .number(1.5),
            "software_client_uri": "https://tpp.example.com",
            "software_redirect_uris": [.string(Self.redirectURI), .string(Self.otherRedirectURI)],
            "software_roles": ["AISP", "PISP"],
            "organisation_competent_authority_claims": ["authority_id": "FCAGBR", "registration_id": "123456"],
            "software_logo_uri": "https://tpp.example.com/logo.png",
            "org_status": "Active",
            "org_id": .string(Self.orgID),
            "org_name": "Sandbox TPP Ltd",
            "org_contacts": [["name": "Tech", "email": "tech@tpp.example.com"]],
            "org_jwks_endpoint": "https://keystore.openbankingtest.org.uk/0015800001041REAAY/0015800001041REAAY.jwks",
            "software_jwks_endpoint":
                "https://keystore.openbankingtest.org.uk/0015800001041REAAY/2ZVHy1MEB0Ar8ov2lgcsMM.jwks",
            "software_on_behalf_of_org": .null,
            "software_policy_uri": "https://tpp.example.com/policy",
            "software_tos_uri": "https://tpp.example.com/tos",
        ]
    }

    static func ssaJWS(_ claims: [String: JSONValue] = Self.ssaClaims()) -> String {
        try! Self.directorySigner.sign(claims: claims)
    }

    /// Request claims without `software_statement` (``Scenario`` adds it).
    static func requestClaims(now: Date = Self.now) -> [String: JSONValue] {
        let seconds = Int64(now.timeIntervalSince1970)
        return [
            "iss": .string(Self.softwareID),
            "aud": .string(Self.aspspID),
            "iat": .integer(seconds - 10),
            "exp": .integer(seconds + 300),
            "jti": "3c7b5ba6-5d6c-4a52-9b5e-3b4c2b7f0001",
            "redirect_uris": [.string(Self.redirectURI)],
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_subject_dn": .string(Self.legacyDN),
            "grant_types": ["client_credentials", "authorization_code", "refresh_token"],
            "response_types": ["code id_token"],
            "scope": "openid accounts payments",
            "application_type": "web",
            "id_token_signed_response_alg": "PS256",
            "request_object_signing_alg": "PS256",
            "software_id": .string(Self.softwareID),
        ]
    }
}
