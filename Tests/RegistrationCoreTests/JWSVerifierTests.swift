import Crypto
import Foundation
import RegistrationCore
import Testing
import _CryptoExtras

@Suite("JWSVerifier: allow-list, key checks, PS256 salt, ES256")
struct JWSVerifierTests {
    static let allowed: Set<JWSAlgorithm> = [.ps256, .es256]
    static let claims: [String: JSONValue] = ["iss": "2ZVHy1MEB0Ar8ov2lgcsMM", "jti": "1"]

    static var keySet: JSONWebKeySet {
        JSONWebKeySet(keys: [try! Fixtures.rsaSigner.publicJWK(), try! Fixtures.es256Signer.publicJWK()])
    }

    /// A compact JWS with the given header and a signature made by `sign` over the signing input.
    static func handMade(header: [String: JSONValue], sign: ([UInt8]) throws -> [UInt8]) throws -> CompactJWS {
        let input =
            CompactJWSTests.b64(JSONValue.object(header).serialized()) + "."
            + CompactJWSTests.b64(JSONValue.object(Self.claims).serialized())
        let signature = try sign(Array(input.utf8))
        let encoded = Data(signature).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return try CompactJWS.parse(input + "." + encoded)
    }

    @Test("PS256 (swift-crypto PSS, salt 32) and ES256 verify")
    func validSignatures() throws {
        for signer in [Fixtures.rsaSigner, Fixtures.es256Signer] {
            let jws = try CompactJWS.parse(try signer.sign(claims: Self.claims))
            try JWSVerifier.verify(jws, in: Self.keySet, allowedAlgorithms: Self.allowed)
            #expect(try jws.claims() == Self.claims)
        }
    }

    @Test("PS256 with a hand-made 32-byte salt verifies; salts of 0, 20 and the maximum do not")
    func pssSaltLength() throws {
        let header: [String: JSONValue] = ["alg": "PS256", "kid": "tpp-signing-1"]
        let maximumSalt = 256 - 32 - 2
        let salt32 = try Self.handMade(header: header) {
            try PSSEncoding.sign($0, saltLength: 32, key: Fixtures.rsaKey)
        }
        try JWSVerifier.verify(salt32, in: Self.keySet, allowedAlgorithms: Self.allowed)
        for saltLength in [0, 20, maximumSalt] {
            let jws = try Self.handMade(header: header) {
                try PSSEncoding.sign($0, saltLength: saltLength, key: Fixtures.rsaKey)
            }
            #expect(throws: JOSEError.invalidSignature, "salt \(saltLength)") {
                try JWSVerifier.verify(jws, in: Self.keySet, allowedAlgorithms: Self.allowed)
            }
        }
    }

    @Test("alg none, HS256 (keyed with the RSA modulus), RS256 and lower-case ps256 are refused before any key is used")
    func refusedAlgorithms() throws {
        let jwk = try Fixtures.rsaSigner.publicJWK()
        guard case .rsa(let modulus, _) = jwk.material else {
            Issue.record("not an RSA JWK")
            return
        }
        let none = try CompactJWS.parse(
            CompactJWSTests.b64(#"{"alg":"none","kid":"tpp-signing-1"}"#) + "." + CompactJWSTests.b64("{}") + "."
        )
        let hs256 = try Self.handMade(header: ["alg": "HS256", "kid": "tpp-signing-1"]) {
            Array(HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: modulus)))
        }
        let rs256 = try Self.handMade(header: ["alg": "RS256", "kid": "tpp-signing-1"]) {
            Array(
                try Fixtures.rsaKey.signature(for: SHA256.hash(data: $0), padding: .insecurePKCS1v1_5).rawRepresentation
            )
        }
        let lowercase = try Self.handMade(header: ["alg": "ps256", "kid": "tpp-signing-1"]) {
            Array(try Fixtures.rsaKey.signature(for: SHA256.hash(data: $0), padding: .PSS).rawRepresentation)
        }
        for (jws, alg) in [(none, "none"), (hs256, "HS256"), (rs256, "RS256"), (lowercase, "ps256")] {
            #expect(throws: JOSEError.algorithmNotAllowed(alg)) {
                try JWSVerifier.verify(jws, in: Self.keySet, allowedAlgorithms: Self.allowed)
            }
            #expect(throws: JOSEError.algorithmNotAllowed(alg)) {
                try JWSVerifier.verify(jws, with: jwk, allowedAlgorithms: Self.allowed)
            }
        }
    }

    @Test("an algorithm outside the policy's allow-list is refused")
    func policyAllowList() throws {
        let jws = try CompactJWS.parse(try Fixtures.es256Signer.sign(claims: Self.claims))
        #expect(throws: JOSEError.algorithmNotAllowed("ES256")) {
            try JWSVerifier.verify(jws, in: Self.keySet, allowedAlgorithms: [.ps256])
        }
    }

    @Test("unknown, missing or differently-cased kid: no default key")
    func keyLookup() throws {
        let unknown = JWSSigner(key: .rsa(Fixtures.rsaKey), keyID: "not-published")
        #expect(throws: JOSEError.unknownKeyID("not-published")) {
            try JWSVerifier.verify(
                try CompactJWS.parse(try unknown.sign(claims: Self.claims)),
                in: Self.keySet,
                allowedAlgorithms: Self.allowed
            )
        }
        let cased = JWSSigner(key: .rsa(Fixtures.rsaKey), keyID: "TPP-SIGNING-1")
        #expect(throws: JOSEError.unknownKeyID("TPP-SIGNING-1")) {
            try JWSVerifier.verify(
                try CompactJWS.parse(try cased.sign(claims: Self.claims)),
                in: Self.keySet,
                allowedAlgorithms: Self.allowed
            )
        }
        let missing = JWSSigner(key: .rsa(Fixtures.rsaKey), keyID: nil)
        let singleKeySet = JSONWebKeySet(keys: [try Fixtures.rsaSigner.publicJWK()])
        #expect(throws: JOSEError.missingKeyID) {
            try JWSVerifier.verify(
                try CompactJWS.parse(try missing.sign(claims: Self.claims)),
                in: singleKeySet,
                allowedAlgorithms: Self.allowed
            )
        }
    }

    @Test("keys in the x5c / jwk headers are ignored: an attacker's self-supplied key verifies nothing")
    func headerKeysIgnored() throws {
        let attacker = JWSSigner(key: .rsa(Fixtures.attackerRSAKey), keyID: "tpp-signing-1")
        let attackerJWK = try attacker.publicJWK()
        let extra: [String: JSONValue] = [
            "jwk": .object(attackerJWK.json), "x5c": ["MIIBogus"], "x5u": "https://attacker.example/jwks",
        ]
        let jws = try CompactJWS.parse(try attacker.sign(claims: Self.claims, extraHeader: extra))
        #expect(jws.header.hasJSONWebKey && jws.header.hasX509CertificateChain)
        #expect(throws: JOSEError.invalidSignature) {
            try JWSVerifier.verify(jws, in: Self.keySet, allowedAlgorithms: Self.allowed)
        }
        let unknownKid = JWSSigner(key: .rsa(Fixtures.attackerRSAKey), keyID: "attacker")
        #expect(throws: JOSEError.unknownKeyID("attacker")) {
            try JWSVerifier.verify(
                try CompactJWS.parse(try unknownKid.sign(claims: Self.claims, extraHeader: extra)),
                in: Self.keySet,
                allowedAlgorithms: Self.allowed
            )
        }
    }

    @Test("key use, key alg and key type must fit")
    func keyChecks() throws {
        let jws = try CompactJWS.parse(try Fixtures.rsaSigner.sign(claims: Self.claims))
        let jwk = try Fixtures.rsaSigner.publicJWK()
        let tlsKey = JSONWebKey(material: jwk.material, keyID: jwk.keyID, use: "tls")
        #expect(throws: JOSEError.keyUseMismatch("tls")) {
            try JWSVerifier.verify(jws, with: tlsKey, allowedAlgorithms: Self.allowed)
        }
        let rs256Key = JSONWebKey(material: jwk.material, keyID: jwk.keyID, use: "sig", algorithm: "RS256")
        #expect(throws: JOSEError.keyAlgorithmMismatch(key: "RS256", header: "PS256")) {
            try JWSVerifier.verify(jws, with: rs256Key, allowedAlgorithms: Self.allowed)
        }
        let noAlgKey = JSONWebKey(material: jwk.material, keyID: jwk.keyID)
        try JWSVerifier.verify(jws, with: noAlgKey, allowedAlgorithms: Self.allowed)
        let ecKey = try Fixtures.es256Signer.publicJWK()
        let ecWithoutAlg = JSONWebKey(material: ecKey.material, keyID: "tpp-signing-1")
        #expect(throws: JOSEError.keyTypeMismatch(algorithm: "PS256", keyType: "EC")) {
            try JWSVerifier.verify(jws, with: ecWithoutAlg, allowedAlgorithms: Self.allowed)
        }
    }

    @Test("tampered payload, wrong key and DER-encoded ES256 signatures fail")
    func badSignatures() throws {
        let token = try Fixtures.rsaSigner.sign(claims: Self.claims)
        let parts = token.split(separator: ".").map(String.init)
        let tampered = try CompactJWS.parse(parts[0] + "." + CompactJWSTests.b64(#"{"iss":"evil"}"#) + "." + parts[2])
        #expect(throws: JOSEError.invalidSignature) {
            try JWSVerifier.verify(tampered, in: Self.keySet, allowedAlgorithms: Self.allowed)
        }

        let impostor = JWSSigner(key: .p256(P256.Signing.PrivateKey()), keyID: "tpp-signing-ec")
        let wrongKey = try CompactJWS.parse(try impostor.sign(claims: Self.claims))
        #expect(throws: JOSEError.invalidSignature) {
            try JWSVerifier.verify(wrongKey, in: Self.keySet, allowedAlgorithms: Self.allowed)
        }

        let der = try Self.handMade(header: ["alg": "ES256", "kid": "tpp-signing-ec"]) {
            Array(try Fixtures.p256Key.signature(for: $0).derRepresentation)
        }
        #expect(throws: JOSEError.invalidSignature) {
            try JWSVerifier.verify(der, in: Self.keySet, allowedAlgorithms: Self.allowed)
        }
    }

    @Test("JOSE failures map to the registration error codes")
    func registrationMapping() {
        let request = RegistrationError.requestJWS(.unknownKeyID("k"))
        #expect(request.code == .invalidClientMetadata)
        #expect(request.errorDescription.contains("kid 'k'"))
        let ssa = RegistrationError.softwareStatementJWS(.algorithmNotAllowed("none"))
        #expect(ssa.code == .invalidSoftwareStatement)
        #expect(
            ssa.json == ["error": "invalid_software_statement", "error_description": .string(ssa.errorDescription)]
        )
    }

    @Test("unsigned SSAs only when deliberately enabled")
    func unsignedSoftwareStatement() throws {
        let jws = try CompactJWS.parse(CompactJWSTests.b64(#"{"alg":"none"}"#) + "." + CompactJWSTests.b64("{}") + ".")
        var policy = Fixtures.policy
        #expect(!policy.acceptsUnsignedSoftwareStatement(jws))
        policy.allowSelfSignedSSA = true
        #expect(policy.acceptsUnsignedSoftwareStatement(jws))
        let signed = try CompactJWS.parse(try Fixtures.directorySigner.sign(claims: [:]))
        #expect(!policy.acceptsUnsignedSoftwareStatement(signed))
    }
}
