import Crypto
import Foundation
import GatewayCore
import HTTPTypes
import MTLSIdentity
import OpenBankingSandbox
import RegistrationCore
import X509
import _CryptoExtras

@testable import AuthorizationServer

/// Keys, certificates, claims and configuration shared by the HTTP-layer tests. Everything is
/// generated at run time (one P-256 sandbox PKI per process; one RSA key for PS256).
enum ASFixtures {
    static let pki: SandboxPKI = try! SandboxPKI.shared()
    static let tppRSAKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    /// The TPP's PS256 request-signing key, published in the software JWKS.
    static let tppSigner = JWSSigner(key: .rsa(Self.tppRSAKey), keyID: "tpp-signing-1")
    /// The TPP's ES256 key, also published.
    static let tppES256Signer = JWSSigner(key: .p256(P256.Signing.PrivateKey()), keyID: "tpp-signing-ec")
    /// The directory's SSA key.
    static let directorySigner = JWSSigner(key: .p256(P256.Signing.PrivateKey()), keyID: "directory-kid")
    /// The authorization server's token key.
    static let asSigningKey: JWSSigner.Key = .p256(P256.Signing.PrivateKey())

    static let softwareID = "2ZVHy1MEB0Ar8ov2lgcsMM"
    static let orgID = "0015800001041REAAY"
    static let aspspID = "0015800000jfwxXAAQ"
    static let issuer = "https://as.example.com"
    static let directoryIssuer = "OpenBanking Ltd"
    static let directoryJWKSURL = "https://keystore.example.com/keystore/openbanking.jwks"
    static let softwareJWKSURL = "https://keystore.example.com/0015800001041REAAY/2ZVHy1MEB0Ar8ov2lgcsMM.jwks"
    static let redirectURI = "https://tpp.example.com/callback"
    static let legacyDN = "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB"
    static let introspectionUser = "rs-accounts"
    static let introspectionSecret = "introspection-secret-1"

    static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970)
    }

    static func ssaClaims(now: Date = Date(), jwksURL: String = Self.softwareJWKSURL) -> [String: JSONValue] {
        [
            "iss": .string(Self.directoryIssuer),
            "iat": .integer(Self.seconds(now) - 60),
            "jti": .string(UUID().uuidString),
            "software_mode": "Test",
            "software_id": .string(Self.softwareID),
            "software_client_id": .string(Self.softwareID),
            "software_client_name": "Sandbox TPP App",
            "software_version": "1.0",
            "software_redirect_uris": [.string(Self.redirectURI)],
            "software_roles": ["AISP", "PISP"],
            "org_status": "Active",
            "org_id": .string(Self.orgID),
            "org_name": "Sandbox TPP Ltd",
            "software_jwks_endpoint": .string(jwksURL),
        ]
    }

    static func ssa(_ claims: [String: JSONValue] = Self.ssaClaims()) -> String {
        try! Self.directorySigner.sign(claims: claims)
    }

    /// Request claims with a fresh `jti` and a directory-signed SSA.
    static func requestClaims(
        now: Date = Date(),
        ssa: String? = nil,
        method: String = "tls_client_auth"
    ) -> [String: JSONValue] {
        let seconds = Self.seconds(now)
        var claims: [String: JSONValue] = [
            "iss": .string(Self.softwareID),
            "aud": .string(Self.aspspID),
            "iat": .integer(seconds - 10),
            "exp": .integer(seconds + 300),
            "jti": .string(UUID().uuidString),
            "redirect_uris": [.string(Self.redirectURI)],
            "token_endpoint_auth_method": .string(method),
            "grant_types": ["client_credentials", "authorization_code"],
            "response_types": ["code id_token"],
            "scope": "openid accounts payments",
            "application_type": "web",
            "id_token_signed_response_alg": "PS256",
            "request_object_signing_alg": "PS256",
            "software_statement": .string(ssa ?? Self.ssa(Self.ssaClaims(now: now))),
        ]
        switch method {
        case "tls_client_auth": claims["tls_client_auth_subject_dn"] = .string(Self.legacyDN)
        case "private_key_jwt": claims["token_endpoint_auth_signing_alg"] = "PS256"
        default: break
        }
        return claims
    }

    /// A signed request JWT; `modify` edits the claims first.
    static func requestJWT(
        method: String = "tls_client_auth",
        signer: JWSSigner = Self.tppSigner,
        _ modify: (inout [String: JSONValue]) -> Void = { _ in }
    ) -> String {
        var claims = Self.requestClaims(method: method)
        modify(&claims)
        return try! signer.sign(claims: claims)
    }

    static var directoryJWKS: [UInt8] {
        JSONWebKeySet(keys: [try! Self.directorySigner.publicJWK()]).json.serializedBytes()
    }

    static var softwareJWKS: [UInt8] {
        let tls = JSONWebKey(
            material: .unsupported(keyType: "EC"),
            keyID: "tls-1",
            use: "tls",
            certificateChain: [Self.pki.obwacTransport.derBytes]
        )
        let keys = [try! Self.tppSigner.publicJWK(), try! Self.tppES256Signer.publicJWK(), tls]
        return JSONWebKeySet(keys: keys).json.serializedBytes()
    }

    static func configuration(
        directoryJWKS: JWKSSource = .url(Self.directoryJWKSURL),
        directoryTrustRoots: [Certificate] = [],
        introspection: Bool = true
    ) -> AuthorizationServerConfiguration {
        AuthorizationServerConfiguration(
            sourcePath: "/tmp/authorization-server-test.conf",
            server: ServerSettings(
                address: SocketAddressSpec(host: "127.0.0.1", port: 0),
                issuer: Self.issuer,
                trustedProxies: [try! CIDR(parsing: "127.0.0.1/32"), try! CIDR(parsing: "::1/128")]
            ),
            database: DatabaseSettings(url: "sqlite::memory:", kind: .sqlite(path: ":memory:")),
            registration: RegistrationSettings(
                audience: [Self.aspspID, Self.issuer],
                tokenEndpointAuthMethods: [
                    "tls_client_auth", "private_key_jwt", "client_secret_basic", "client_secret_post",
                ],
                transportTrustRoots: [Self.pki.root.certificate],
                transportIntermediates: [Self.pki.issuingCA.certificate]
            ),
            directories: [
                DirectoryConfiguration(
                    name: "OpenBanking",
                    issuer: Self.directoryIssuer,
                    jwks: directoryJWKS,
                    trustRoots: directoryTrustRoots
                )
            ],
            tokens: try! TokenSettings(signingKey: Self.asSigningKey),
            introspection: IntrospectionSettings(
                credentials: introspection
                    ? [
                        IntrospectionCredential(
                            name: Self.introspectionUser,
                            secretSHA256Hex: RandomToken.sha256Hex(Self.introspectionSecret)
                        )
                    ]
                    : []
            )
        )
    }

    /// RFC 9440 headers for `certificate`, with `chain` (leaf excluded).
    static func identityHeaders(
        _ certificate: IssuedCertificate = Self.pki.transport,
        chain: [IssuedCertificate] = [Self.pki.issuingCA]
    ) -> HTTPFields {
        var headers: HTTPFields = [:]
        headers[HTTPField.Name("Client-Cert")!] = RFC9440.encodeCertificate(certificate.derBytes)
        if !chain.isEmpty {
            headers[HTTPField.Name("Client-Cert-Chain")!] = RFC9440.encodeCertificateChain(chain.map(\.derBytes))
        }
        return headers
    }

    /// `x5t#S256` of `certificate`.
    static func thumbprint(_ certificate: IssuedCertificate = Self.pki.transport) -> String {
        try! ClientIdentity(validatedChainDER: [certificate.derBytes]).thumbprintS256
    }
}
