import Crypto
import Foundation
import RegistrationCore
import Testing

@Suite("JSONWebKeySet: lenient parsing, exact kid lookup, tls thumbprints")
struct JSONWebKeySetTests {
    static var rsaJWK: [String: JSONValue] { try! Fixtures.rsaSigner.publicJWK().json }
    static var ecJWK: [String: JSONValue] { Fixtures.es256Signer.publicJWKOrFail().json }
    static var obwacDER: [UInt8] { Fixtures.pki.obwacTransport.derBytes }

    static func armoured(_ der: [UInt8]) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n"
    }

    static func document(_ keys: [JSONValue]) -> [UInt8] {
        JSONValue.object(["keys": .array(keys)]).serializedBytes()
    }

    @Test("usable keys are kept, the rest skipped without failing the set")
    func lenient() throws {
        var encryption = Self.rsaJWK
        encryption["kid"] = "enc-1"
        encryption["use"] = "enc"
        encryption["alg"] = "RSA-OAEP-256"
        var oaepWithoutUse = Self.rsaJWK
        oaepWithoutUse["kid"] = "enc-2"
        oaepWithoutUse["use"] = nil
        oaepWithoutUse["alg"] = "RSA-OAEP-256"
        var numericKid = Self.rsaJWK
        numericKid["kid"] = 7
        var rs256 = Self.rsaJWK
        rs256["kid"] = "rs256-key"
        rs256["alg"] = "RS256"
        var badX5C = Self.rsaJWK
        badX5C["kid"] = "bad-x5c"
        badX5C["x5c"] = ["@@not base64@@"]
        let keys: [JSONValue] = [
            .object(Self.rsaJWK),
            .object(Self.ecJWK),
            .object(encryption),
            .object(oaepWithoutUse),
            ["kty": "oct", "kid": "secret", "k": "c2VjcmV0"],
            ["kty": "OKP", "kid": "ed", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"],
            ["kty": "EC", "kid": "p384", "crv": "P-384", "x": "AA", "y": "AA"],
            ["kty": "RSA", "kid": "small", "n": "AQAB", "e": "AQAB"],
            ["kid": "no-kty"],
            .object(numericKid),
            .object(rs256),
            .object(badX5C),
            "not an object",
            [
                "kty": "RSA", "kid": "tls-1", "use": "tls",
                "x5c": [.string(Self.armoured(Self.obwacDER))],
            ],
        ]
        let set = try JSONWebKeySet(parsing: Self.document(keys))
        #expect(set.keys.compactMap(\.keyID) == ["tpp-signing-1", "tpp-signing-ec", "rs256-key", "tls-1"])
        #expect(set.skipped.count == 10)
        #expect(set.skipped.contains { $0.keyID == "enc-1" && $0.reason.contains("encryption") })
        #expect(set.skipped.contains { $0.keyID == "secret" })
        #expect(set.keys(withID: "tls-1").first?.certificateChain == [Self.obwacDER])
    }

    @Test("documents that are not a key set are errors")
    func invalidDocuments() {
        for document in ["not json", "[]", #"{"keys":{}}"#, #"{"key":[]}"#] {
            #expect(throws: JOSEError.self) { try JSONWebKeySet(parsing: Array(document.utf8)) }
        }
    }

    @Test("x5c entries tolerate PEM armour, line breaks, escaped newlines and missing padding")
    func certificateText() throws {
        let der = Self.obwacDER
        let plain = Data(der).base64EncodedString()
        let variants: [String] = [
            plain,
            Self.armoured(der),
            Self.armoured(der).replacingOccurrences(of: "\n", with: "\\n"),
            "-----BEGIN CERTIFICATE-----" + plain + "-----END CERTIFICATE-----",
            "  " + plain.replacingOccurrences(of: "=", with: "") + "\r\n",
        ]
        for variant in variants {
            let set = try JSONWebKeySet(
                parsing: Self.document([["kty": "RSA", "kid": "t", "use": "tls", "x5c": [.string(variant)]]])
            )
            #expect(set.keys.first?.certificateChain.first == der, "\(variant.prefix(40))")
        }
    }

    @Test("tls thumbprints: computed from x5c[0], else x5t#S256; sig keys do not count")
    func thumbprints() throws {
        let set = try JSONWebKeySet(
            parsing: Self.document([
                [
                    "kty": "RSA", "kid": "tls-1", "use": "tls",
                    "x5c": [.string(Data(Self.obwacDER).base64EncodedString())],
                ],
                ["kty": "RSA", "kid": "tls-2", "use": "tls", "x5t#S256": "published-thumbprint"],
                .object(Self.rsaJWK.merging(["x5t#S256": "signing-thumbprint"]) { $1 }),
            ])
        )
        #expect(set.tlsCertificateThumbprints == [Fixtures.obwacIdentity.thumbprintS256, "published-thumbprint"])
        var scenario = Scenario()
        scenario.presented = Fixtures.obwacIdentity
        scenario.thumbprints = set.tlsCertificateThumbprints
        scenario.request["tls_client_auth_subject_dn"] = .string(Fixtures.obwacIdentity.subjectDN(.rfc4514))
        #expect(throws: Never.self) { try scenario.run().get() }
    }

    @Test("signing key lookup is exact and prefers use sig")
    func lookup() throws {
        var tlsTwin = Self.rsaJWK
        tlsTwin["use"] = "tls"
        let set = try JSONWebKeySet(parsing: Self.document([.object(tlsTwin), .object(Self.rsaJWK)]))
        let header = try CompactJWS.parse(try Fixtures.rsaSigner.sign(claims: [:])).header
        #expect(try set.signingKey(for: header).use == "sig")
        #expect(set.keys(withID: "tpp-signing-1 ").isEmpty)
    }

    @Test("JWK JSON round-trips")
    func roundTrip() throws {
        let set = JSONWebKeySet(keys: [try Fixtures.rsaSigner.publicJWK(), Fixtures.es256Signer.publicJWKOrFail()])
        let reparsed = try JSONWebKeySet(parsing: set.json.serializedBytes())
        #expect(reparsed.keys == set.keys)
        #expect(reparsed.skipped.isEmpty)
    }
}

extension JWSSigner {
    /// `publicJWK()` for P-256 signers, which cannot fail.
    func publicJWKOrFail() -> JSONWebKey {
        try! self.publicJWK()
    }
}
