import AuthorizationServer
import Crypto
import Foundation
import GatewayCore
import RegistrationCore
import Testing
import X509
import _CryptoExtras

/// PEM material and other loaded values: the token-signing key and its `kid`, introspection
/// credentials, warnings.
@Suite("configuration material")
struct ConfigurationMaterialTests {
    /// Loads the minimal configuration with `edit` applied, from a folder holding the sandbox PKI.
    static func load(
        _ directory: StoreTestDirectory,
        now: Date = Date(),
        edit: (String) -> String = { $0 }
    ) throws -> LoadedAuthorizationServerConfiguration {
        try AuthorizationServerConfigurationLoader.loadReportingWarnings(
            contents: edit(StoreTestDirectory.minimalConfiguration()),
            baseDirectory: directory.path,
            sourceName: "as.conf",
            now: now
        )
    }

    /// The problems of loading the minimal configuration with `edit` applied.
    static func problems(_ directory: StoreTestDirectory, edit: (String) -> String) -> [String] {
        do {
            _ = try Self.load(directory, edit: edit)
            return []
        } catch let error as ConfigurationError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test("RFC 7638 §3.1: the JWK thumbprint of the example RSA key")
    func rfc7638Example() throws {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = JSONWebKey(
            material: .rsa(modulus: try #require(Self.base64URL(n)), exponent: [0x01, 0x00, 0x01]),
            keyID: nil
        )
        #expect(TokenSettings.jwkThumbprint(of: key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("a P-256 signing key gives ES256 and its thumbprint as kid")
    func p256Key() throws {
        let directory = try StoreTestDirectory.withPKI("as-key")
        defer { directory.remove() }
        let tokens = try Self.load(directory).configuration.tokens
        #expect(tokens.signingAlgorithm == .es256)
        let jwk = try JWSSigner(key: tokens.signingKeyMaterial, keyID: nil).publicJWK()
        #expect(tokens.signingKeyID == TokenSettings.jwkThumbprint(of: jwk))
        #expect(tokens.signer.keyID == tokens.signingKeyID)
        #expect(tokens.signingKeyID.count == 43)
    }

    @Test("an RSA signing key (PKCS#1 or PKCS#8) gives PS256")
    func rsaKey() throws {
        let directory = try StoreTestDirectory.withPKI("as-rsa")
        defer { directory.remove() }
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        for (name, pem) in [("rsa-pkcs1.key", key.pemRepresentation), ("rsa-pkcs8.key", key.pkcs8PEMRepresentation)] {
            try directory.write(pem, to: name)
            let tokens = try Self.load(directory) {
                $0.replacingOccurrences(of: "pki/as-signing.key", with: name)
            }.configuration.tokens
            #expect(tokens.signingAlgorithm == .ps256)
            #expect(tokens.signingKey.publicKey == Certificate.PublicKey(key.publicKey))
            let jwk = try JSONWebKey(rsa: key.publicKey, keyID: nil)
            #expect(tokens.signingKeyID == TokenSettings.jwkThumbprint(of: jwk))
        }
    }

    @Test("unusable signing keys are problems")
    func unusableKeys() throws {
        let directory = try StoreTestDirectory.withPKI("as-badkey")
        defer { directory.remove() }
        try directory.write(P384.Signing.PrivateKey().pemRepresentation, to: "p384.key")
        try directory.write("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", to: "encrypted.key")
        try directory.write("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", to: "garbage.key")
        let cases: [(String, String)] = [
            ("p384.key", "tokens.signing_key: unsupported key P384 in \"\(directory.file("p384.key"))\"; use RSA of at least 2048 bits (PS256) or P-256 (ES256)"),
            ("encrypted.key", "tokens.signing_key: \"\(directory.file("encrypted.key"))\" holds an encrypted private key; encrypted keys are not supported"),
            ("garbage.key", "tokens.signing_key: invalid PRIVATE KEY in \"\(directory.file("garbage.key"))\""),
            ("missing.key", "tokens.signing_key: cannot read \"\(directory.file("missing.key"))\": No such file or directory"),
        ]
        for (file, expected) in cases {
            let problems = Self.problems(directory) { $0.replacingOccurrences(of: "pki/as-signing.key", with: file) }
            #expect(problems == [expected])
        }
    }

    @Test("introspection credentials: name:<sha256 hex>, hex compared case-insensitively")
    func introspectionCredentials() throws {
        let directory = try StoreTestDirectory.withPKI("as-introspect")
        defer { directory.remove() }
        let secret = "resource-server-secret"
        let hex = SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
        let configuration = try Self.load(directory) {
            $0 + "\n[introspection]\ncredentials = [\"rs-1:\(hex.uppercased())\", \"rs.2:\(String(repeating: "0", count: 64))\"]\n"
        }.configuration
        #expect(configuration.introspection.isEnabled)
        #expect(configuration.introspection.credentials.map(\.name) == ["rs-1", "rs.2"])
        #expect(configuration.introspection.credentials.first?.secretSHA256Hex == hex)
        #expect(configuration.introspection.credentials.first?.matches(secret: secret) == true)
        #expect(configuration.introspection.credentials.first?.matches(secret: secret + "x") == false)

        let problems = Self.problems(directory) {
            $0 + "\n[introspection]\ncredentials = [\"no-colon\", \"rs:\(hex)\", \"rs:\(hex)\"]\n"
        }
        #expect(problems == [
            "introspection.credentials[0]: expected \"name:<sha256 hex of the secret>\"",
            "introspection.credentials[2]: \"rs\" is listed twice",
        ])
    }

    @Test("introspection credential_files: the secret read from a file (one newline ignored), kept as its SHA-256")
    func introspectionCredentialFiles() throws {
        let directory = try StoreTestDirectory.withPKI("as-introspect-files")
        defer { directory.remove() }
        let secret = "k3Jd8s0aQ1-random-secret-of-44-characters-xY"
        _ = try directory.write(secret + "\n", to: "secrets/api.secret")
        _ = try directory.write(secret, to: "with:colon/api.secret")
        _ = try directory.write("short\n", to: "secrets/short.secret")
        let configuration = try Self.load(directory) {
            $0 + "\n[introspection]\ncredential_files = [\"api:secrets/api.secret\", \"api-2:with:colon/api.secret\"]\n"
        }.configuration
        #expect(configuration.introspection.credentials.map(\.name) == ["api", "api-2"])
        #expect(configuration.introspection.credentials.allSatisfy { $0.matches(secret: secret) })
        #expect(configuration.introspection.credentials.first?.matches(secret: secret + "\n") == false)

        let hex = SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
        let problems = Self.problems(directory) {
            $0 + """

                [introspection]
                credentials = ["api:\(hex)"]
                credential_files = ["api:secrets/api.secret", "gone:secrets/missing.secret", "tiny:secrets/short.secret", "nopath:", "bad name:secrets/api.secret"]

                """
        }
        #expect(problems == [
            "introspection.credential_files[0]: \"api\" is listed twice",
            "introspection.credential_files[1]: cannot read \"\(directory.file("secrets/missing.secret"))\": No such file or directory",
            "introspection.credential_files[2]: the secret in \"\(directory.file("secrets/short.secret"))\" is shorter than 32 characters",
            "introspection.credential_files[3]: expected \"name:<path of the secret file>\"",
            "introspection.credential_files[4]: invalid name \"bad name\"; use letters, digits, \".\", \"_\" and \"-\"",
        ])
    }

    @Test("warnings: CA near expiry, no trusted proxy, self-signed SSAs, trust roots of a file JWKS")
    func warnings() throws {
        let directory = try StoreTestDirectory.withPKI("as-warn")
        defer { directory.remove() }
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        try directory.write(try Self.selfSignedCA(notValidAfter: now.addingTimeInterval(30 * 86400 + 3600)), to: "expiring-ca.pem")
        try directory.write("{\"keys\": []}", to: "directory.jwks")
        let loaded = try Self.load(directory, now: now) {
            $0.replacingOccurrences(of: "trusted_proxies = [\"127.0.0.1/32\"]\n", with: "")
                .replacingOccurrences(of: "transport_trust_roots = [\"pki/root-ca.pem\"]", with: "transport_trust_roots = [\"expiring-ca.pem\"]\nallow_self_signed_ssa = true")
                .replacingOccurrences(
                    of: "jwks = \"https://keystore.openbankingtest.org.uk/keystore/openbanking.jwks\"",
                    with: "jwks = \"directory.jwks\"\ntrust_roots = [\"pki/root-ca.pem\"]"
                )
        }
        #expect(loaded.warnings == [
            "server.trusted_proxies: no trusted proxy: identity headers are ignored, so no client can register or authenticate with a certificate",
            "registration.transport_trust_roots[0]: CA certificate \"CN=Expiring CA\" expires on 2030-04-16 (in 30 days)",
            "registration.allow_self_signed_ssa: unsigned (alg none) software statements are accepted: for sandboxes only",
            "directory[0] \"OpenBanking\".jwks: \"\(directory.file("directory.jwks"))\" holds no usable key",
        ])
        #expect(loaded.configuration.registration.allowSelfSignedSSA)
        #expect(loaded.configuration.server.trustedProxies.isEmpty)
    }

    @Test("issuer and endpoint URLs: https only, trailing slash removed from base URLs")
    func urls() throws {
        let directory = try StoreTestDirectory.withPKI("as-urls")
        defer { directory.remove() }
        let configuration = try Self.load(directory) {
            $0.replacingOccurrences(of: "issuer = \"https://as.example.com\"", with: """
                issuer = "https://as.example.com/"
                authorization_endpoint = "https://bank.example.com/authorize"
                mtls_base_url = "https://mtls.as.example.com/"
                max_body_size = "16KiB"
                """)
        }.configuration
        #expect(configuration.server.issuer == "https://as.example.com")
        #expect(configuration.server.authorizationEndpoint == "https://bank.example.com/authorize")
        #expect(configuration.server.mtlsBaseURL == "https://mtls.as.example.com")
        #expect(configuration.server.maxBodySize == 16 * 1024)
        #expect(configuration.summary.contains("issuer                    https://as.example.com"))

        let problems = Self.problems(directory) {
            $0.replacingOccurrences(of: "issuer = \"https://as.example.com\"", with: "issuer = \"https://as.example.com/?x=1\"")
        }
        #expect(problems == ["server.issuer: must not contain a query, a fragment or user info"])
    }

    /// A self-signed P-256 CA certificate as PEM.
    static func selfSignedCA(notValidAfter: Date) throws -> String {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("Expiring CA") }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(key.publicKey),
            notValidBefore: notValidAfter.addingTimeInterval(-365 * 86400),
            notValidAfter: notValidAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            },
            issuerPrivateKey: .init(key)
        )
        return try certificate.serializeAsPEM().pemString
    }

    /// Strict base64url decoding for test vectors.
    static func base64URL(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
