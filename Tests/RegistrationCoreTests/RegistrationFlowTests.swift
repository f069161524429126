import Foundation
import RegistrationCore
import Testing

/// The composition the authorization server performs, end to end but without I/O: parse the
/// request JWS, read and verify the SSA with the directory JWKS, verify the request with the
/// software JWKS, validate, build the 201 body.
@Suite("Registration flow: JOSE pieces composed as the server will")
struct RegistrationFlowTests {
    static var directoryKeys: JSONWebKeySet { JSONWebKeySet(keys: [Fixtures.directorySigner.publicJWKOrFail()]) }

    static var softwareKeys: JSONWebKeySet {
        get throws {
            let tls = JSONWebKey(
                material: .unsupported(keyType: "RSA"),
                keyID: "tls-1",
                use: "tls",
                certificateChain: [Fixtures.pki.obwacTransport.derBytes]
            )
            return JSONWebKeySet(keys: [try Fixtures.rsaSigner.publicJWK(), tls])
        }
    }

    /// What the server does with a request body; every failure is a `RegistrationError`.
    static func register(_ body: String, presented: Scenario = Scenario()) throws -> ValidatedRegistration {
        let policy = presented.policy
        let requestJWS: CompactJWS
        do { requestJWS = try CompactJWS.parse(body) } catch { throw RegistrationError.requestJWS(error) }
        let request = try RegistrationRequest(jws: requestJWS)
        let ssaJWS: CompactJWS
        do { ssaJWS = try CompactJWS.parse(request.softwareStatement) } catch {
            throw RegistrationError.softwareStatementJWS(error)
        }
        if !policy.acceptsUnsignedSoftwareStatement(ssaJWS) {
            do {
                try JWSVerifier.verify(ssaJWS, in: Self.directoryKeys, allowedAlgorithms: policy.allowedAlgorithms)
            } catch {
                throw RegistrationError.softwareStatementJWS(error)
            }
        }
        let ssa = try SoftwareStatement(jws: ssaJWS)
        let softwareKeys = try Self.softwareKeys
        do {
            try JWSVerifier.verify(requestJWS, in: softwareKeys, allowedAlgorithms: policy.allowedAlgorithms)
        } catch {
            throw RegistrationError.requestJWS(error)
        }
        return try RegistrationValidator.validate(
            request: request,
            ssa: ssa,
            presented: presented.presented,
            softwareTLSThumbprints: softwareKeys.tlsCertificateThumbprints,
            policy: policy,
            now: Fixtures.now
        ).get()
    }

    static func body(ssa: String = Fixtures.ssaJWS(), signer: JWSSigner = Fixtures.rsaSigner) throws -> String {
        var claims = Fixtures.requestClaims()
        claims["software_statement"] = .string(ssa)
        return try signer.sign(claims: claims)
    }

    @Test("a PS256 request with a directory-signed SSA registers; the body serialises")
    func success() throws {
        let registration = try Self.register(try Self.body() + "\r\n")
        let body = RegistrationResponse.body(
            for: registration,
            clientID: "c1",
            clientIDIssuedAt: Fixtures.now,
            clientSecret: nil,
            registrationAccessToken: nil,
            registrationClientURI: nil
        )
        #expect(!body.isEmpty)
    }

    @Test("an OBWAC transport certificate published in the software JWKS registers")
    func obwac() throws {
        var scenario = Scenario()
        scenario.presented = Fixtures.obwacIdentity
        var claims = Fixtures.requestClaims()
        claims["software_statement"] = .string(Fixtures.ssaJWS())
        claims["tls_client_auth_subject_dn"] = .string(Fixtures.obwacIdentity.subjectDN(.rfc4514))
        #expect(throws: Never.self) {
            try Self.register(try Fixtures.rsaSigner.sign(claims: claims), presented: scenario)
        }
    }

    @Test("each JOSE failure gets its error code")
    func joseFailures() throws {
        func code(_ body: String, _ scenario: Scenario = Scenario()) -> RegistrationError.Code? {
            do {
                _ = try Self.register(body, presented: scenario)
                return nil
            } catch let error as RegistrationError {
                return error.code
            } catch {
                return nil
            }
        }
        let unsignedSSA =
            CompactJWSTests.b64(#"{"alg":"none"}"#) + "."
            + CompactJWSTests.b64(JSONValue.object(Fixtures.ssaClaims()).serialized()) + "."
        let unknownDirectoryKey = try JWSSigner(key: .p256(.init()), keyID: "other-directory").sign(
            claims: Fixtures.ssaClaims()
        )
        let forgedDirectoryKey = try JWSSigner(key: .p256(.init()), keyID: "directory-kid").sign(
            claims: Fixtures.ssaClaims()
        )
        let unknownTPPKey = JWSSigner(key: .rsa(Fixtures.rsaKey), keyID: "rotated-away")

        #expect(code("a.b") == .invalidClientMetadata)
        #expect(code(try Self.body(signer: unknownTPPKey)) == .invalidClientMetadata)
        #expect(code(try Self.body(signer: Fixtures.es256Signer)) == .invalidClientMetadata)
        #expect(code(try Self.body(ssa: "not-a-jws")) == .invalidSoftwareStatement)
        #expect(code(try Self.body(ssa: unsignedSSA)) == .invalidSoftwareStatement)
        #expect(code(try Self.body(ssa: unknownDirectoryKey)) == .invalidSoftwareStatement)
        #expect(code(try Self.body(ssa: forgedDirectoryKey)) == .invalidSoftwareStatement)
        var selfSigned = Scenario()
        selfSigned.policy.allowSelfSignedSSA = true
        #expect(code(try Self.body(ssa: unsignedSSA), selfSigned) == nil)
    }
}
