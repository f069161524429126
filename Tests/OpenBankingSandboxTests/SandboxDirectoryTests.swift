import Foundation
import MTLSIdentity
import OpenBankingSandbox
import RegistrationCore
import Testing
import X509

@Suite("Sandbox directory: JWKS and SSAs")
struct SandboxDirectoryTests {
    let fixtures: SandboxFixtures

    init() throws {
        self.fixtures = try SandboxFixtures.shared()
    }

    @Test("the directory JWKS holds the SSA signing key with kid, use sig, alg PS256, x5c, x5t#S256")
    func directoryJWKS() throws {
        let directory = self.fixtures.directory
        let keySet = try JSONWebKeySet(parsing: directory.directoryJWKS().serializedBytes())
        #expect(keySet.skipped.isEmpty)
        let key = try #require(keySet.keys.first)
        #expect(keySet.keys.count == 1)
        #expect(key.keyID == (try directory.keyID()))
        #expect(key.use == "sig")
        #expect(key.algorithm == "PS256")
        #expect(key.certificateChain.count == 2)
        #expect(key.certificateChain[0] == self.fixtures.pki.directorySigning.derBytes)
        #expect(key.certificateThumbprintS256 == key.tlsCertificateThumbprint)
        let object = try #require(directory.directoryJWKS().objectValue?["keys"]?.arrayValue?.first?.objectValue)
        #expect(object["x5t"]?.stringValue?.count == 27)  // SHA-1, base64url unpadded
    }

    @Test("the software JWKS has the tls key whose x5t#S256 is the transport certificate's thumbprint")
    func softwareJWKS() throws {
        let pki = self.fixtures.pki
        let jwks = try #require(
            try self.fixtures.directory.softwareJWKS(orgID: SandboxFixtures.orgID, softwareID: SandboxFixtures.softwareID))
        let keySet = try JSONWebKeySet(parsing: jwks.serializedBytes())
        #expect(keySet.skipped.isEmpty)
        let transport = try ClientIdentity(validatedChain: [pki.transport.certificate, pki.issuingCA.certificate])
        let obwac = try ClientIdentity(validatedChain: [pki.obwacTransport.certificate, pki.issuingCA.certificate])
        let tlsKeys = keySet.keys.filter { $0.use == "tls" }
        #expect(tlsKeys.map(\.certificateThumbprintS256) == [transport.thumbprintS256, obwac.thumbprintS256])
        #expect(keySet.tlsCertificateThumbprints == [transport.thumbprintS256, obwac.thumbprintS256])
        #expect(tlsKeys.allSatisfy { $0.algorithm == nil && $0.keyID != nil && $0.certificateChain.count == 2 })
        let signingKeys = keySet.keys.filter { $0.use == "sig" }
        #expect(signingKeys.map(\.algorithm) == ["ES256", "PS256"])
        #expect(signingKeys.last?.keyID == (try JWKThumbprint.keyID(of: self.fixtures.rsaSigning.certificate.publicKey)))
        #expect(try self.fixtures.directory.softwareJWKS(orgID: SandboxFixtures.orgID, softwareID: "unknown") == nil)
    }

    @Test("an SSA has every claim of §6 and verifies with JWSVerifier against the directory JWKS")
    func softwareStatement() throws {
        let directory = self.fixtures.directory
        let now = Date(timeIntervalSince1970: 1_800_000_000.75)
        let ssa = try directory.issueSoftwareStatement(self.fixtures.ssaRequest(), now: now, jwtID: "jti-1")
        let jws = try CompactJWS.parse(ssa)
        #expect(jws.header.algorithm == "PS256")
        #expect(jws.header.keyID == (try directory.keyID()))
        #expect(jws.header.type == "JWT")
        let keySet = try JSONWebKeySet(parsing: directory.directoryJWKS().serializedBytes())
        try JWSVerifier.verify(jws, in: keySet, allowedAlgorithms: [.ps256])

        let claims = try jws.claims()
        let expected: Set<String> = [
            "iss", "iat", "jti", "software_id", "software_client_id", "software_client_name",
            "software_client_description", "software_version", "software_client_uri", "software_redirect_uris",
            "software_roles", "software_environment", "software_mode", "software_jwks_endpoint",
            "software_jwks_revoked_endpoint", "software_logo_uri", "software_policy_uri", "software_tos_uri",
            "software_on_behalf_of_org", "organisation_competent_authority_claims", "org_status", "org_id", "org_name",
            "org_contacts", "org_jwks_endpoint", "org_jwks_revoked_endpoint",
        ]
        #expect(Set(claims.keys) == expected)
        #expect(claims["exp"] == nil)
        #expect(claims["iat"] == .integer(1_800_000_000))
        #expect(claims["iss"] == "OpenBanking Ltd")
        #expect(claims["software_roles"] == ["AISP", "PISP"])
        #expect(claims["org_contacts"]?.arrayValue?.count == 2)

        let statement = try SoftwareStatement(jws: jws)
        #expect(statement.organisationStatus == .active)
        #expect(statement.softwareMode == "Test")
        #expect(statement.softwareClientID == SandboxFixtures.softwareID)
        #expect(
            statement.softwareJWKSEndpoint
                == "https://localhost:8444/0015800001041REAAY/2ZVHy1MEB0Ar8ov2lgcsMM.jwks")
        #expect(statement.softwareJWKSRevokedEndpoint == "https://localhost:8444/0015800001041REAAY/revoked/2ZVHy1MEB0Ar8ov2lgcsMM.jwks")
        #expect(statement.softwareRedirectURIs == [SandboxFixtures.redirectURI, "https://tpp.example.com/other"])

        // Another key with the same kid does not verify it.
        let other = try JWSKeyConversion.signer(self.fixtures.rsaSigning.privateKey, keyID: try directory.keyID())
        let forged = try JSONWebKeySet(keys: [other.publicJWK()])
        #expect(throws: JOSEError.invalidSignature) { try JWSVerifier.verify(jws, in: forged, allowedAlgorithms: [.ps256]) }
    }

    @Test("SSA requests are validated", arguments: [
        ("org", "../x", ["https://a.example/cb"], ["AISP"], "https://localhost:1", "invalid_id"),
        ("org", "sw", [], ["AISP"], "https://localhost:1", "invalid_ssa_request"),
        ("org", "sw", ["https://a.example/cb"], ["BANK"], "https://localhost:1", "invalid_ssa_request"),
        ("org", "sw", ["https://a.example/cb"], ["AISP"], "http://localhost:1", "invalid_ssa_request"),
    ])
    func invalidRequests(_ orgID: String, _ softwareID: String, _ uris: [String], _ roles: [String], _ base: String, _ code: String)
        throws
    {
        let request = SoftwareStatementRequest(
            orgID: orgID, softwareID: softwareID, redirectURIs: uris, roles: roles, jwksBaseURL: base)
        #expect { try self.fixtures.directory.issueSoftwareStatement(request) } throws: {
            ($0 as? SandboxDirectoryError)?.code == code
        }
    }

    @Test("publishing validates ids and is idempotent")
    func publishing() throws {
        var directory = self.fixtures.directory
        let certificate = PublishedCertificate(certificate: self.fixtures.pki.transport.certificate, use: .tls)
        #expect(throws: SandboxDirectoryError.invalidID(name: "org id", value: "a/b")) {
            try directory.publish(certificate, orgID: "a/b", softwareID: "sw")
        }
        try directory.publish(certificate, orgID: "org", softwareID: "sw")
        try directory.publish(certificate, orgID: "org", softwareID: "sw")
        #expect(directory.softwareRecord(orgID: "org", softwareID: "sw")?.certificates.count == 1)
        #expect(!SoftwareRecord.isValidID("..") && !SoftwareRecord.isValidID("") && SoftwareRecord.isValidID("0015800001041REAAY"))
    }

    @Test("files: directory.jwks is written; stored certificates come back with pki sign's layout")
    func files() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let directory = self.fixtures.directory
        let path = try directory.writeDirectoryJWKS(pkiDirectory: folder)
        #expect(path.hasSuffix("/directory.jwks"))
        let written = try JSONWebKeySet(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(written.keys.first?.keyID == (try directory.keyID()))

        let published = PublishedCertificate(certificate: self.fixtures.pki.obwacTransport.certificate, use: .tls)
        let stored = try SandboxDirectory.storePublished(published, orgID: "org1", softwareID: "sw1", pkiDirectory: folder)
        #expect(stored.hasSuffix("/software/org1/sw1/tls-\(try published.keyID()).pem"))
        let reloaded = try directory.addingPublished(fromPKIDirectory: folder)
        let record = try #require(reloaded.softwareRecord(orgID: "org1", softwareID: "sw1"))
        #expect(record.certificates.map(\.certificate) == [self.fixtures.pki.obwacTransport.certificate])
        #expect(record.certificates.first?.chain == [self.fixtures.pki.issuingCA.certificate])
    }
}
