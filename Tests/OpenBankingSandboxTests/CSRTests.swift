import Foundation
import OpenBankingSandbox
import SwiftASN1
import Testing
import X509

@Suite("CSR → sign, as the directory does on upload")
struct CSRTests {
    static let orgID = "0015800001041REAAY"

    @Test("a legacy transport CSR signs into a clientAuth certificate that chains to the sandbox root")
    func legacyTransport() async throws {
        let pki = try SandboxPKI.shared()
        let csr = try SandboxCSR.generate(subject: .legacy(orgID: Self.orgID, softwareID: "Soft1"), kind: .transport)
        #expect(csr.requestPEM.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----\n"))
        #expect(csr.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let parsed = try SandboxCSR.parse(pem: csr.requestPEM)
        #expect(parsed == csr.request)

        let signed = try CSRSigner.sign(parsed, kind: .transport, issuer: pki.issuingCA)
        let certificate = signed.certificate
        #expect(certificate.subject.description == "CN=Soft1,OU=0015800001041REAAY,O=OpenBanking,C=GB")
        #expect(TestSupport.attributeTypes(certificate.subject) == ["2.5.4.6", "2.5.4.10", "2.5.4.11", "2.5.4.3"])
        #expect(certificate.issuer == pki.issuingCA.certificate.subject)
        #expect(certificate.publicKey == csr.privateKey.publicKey)
        #expect(certificate.signatureAlgorithm == .ecdsaWithSHA256)  // the fast PKI's issuing CA is P-256
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == [.clientAuth])
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(signed.subject == .legacy(orgID: Self.orgID, softwareID: "Soft1"))
        let chain = await TestSupport.validatedChain(
            certificate, roots: [pki.root.certificate], intermediates: [pki.issuingCA.certificate], at: Date())
        #expect(chain == [certificate, pki.issuingCA.certificate, pki.root.certificate])
    }

    @Test("a signing CSR gets digitalSignature + nonRepudiation and no EKU, whatever it requested")
    func signingKind() throws {
        let pki = try SandboxPKI.shared()
        // Requested as transport (clientAuth in its extensionRequest), signed as signing.
        let csr = try SandboxCSR.generate(subject: .legacy(orgID: Self.orgID, softwareID: "Soft1"), kind: .transport)
        #expect(try csr.request.attributes.extensionRequest != nil)
        let certificate = try CSRSigner.sign(csr.request, kind: .signing, issuer: pki.issuingCA).certificate
        #expect(try certificate.extensions.extendedKeyUsage == nil)
        #expect(try certificate.extensions.keyUsage == KeyUsage(digitalSignature: true, nonRepudiation: true))
    }

    @Test("an OBWAC transport CSR keeps its DN and gets PSD2 qcStatements")
    func obwacTransport() async throws {
        let pki = try SandboxPKI.shared()
        let subject = CSRSubject.obwac(orgID: Self.orgID, organizationIdentifier: "PSDGB-FCA-123456", legalName: "TPP Ltd")
        let csr = try SandboxCSR.generate(subject: subject, kind: .transport)
        let signed = try CSRSigner.sign(csr.request, kind: .transport, issuer: pki.issuingCA)
        #expect(signed.subject == subject)
        #expect(signed.subject.softwareID == nil)
        #expect(TestSupport.attributeTypes(signed.certificate.subject) == ["2.5.4.6", "2.5.4.10", "2.5.4.97", "2.5.4.3"])
        #expect(signed.certificate.extensions[oid: PSD2QCStatements.extensionOID] != nil)
        let chain = await TestSupport.validatedChain(
            signed.certificate, roots: [pki.root.certificate], intermediates: [pki.issuingCA.certificate], at: Date())
        #expect(chain?.count == 3)
    }

    @Test("openssl verifies the CSR's self-signature and reads the OB subject")
    func openssl() throws {
        let csr = try SandboxCSR.generate(subject: .legacy(orgID: Self.orgID, softwareID: "Soft1"), kind: .signing)
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try csr.write(keyTo: directory + "/k.key", requestTo: directory + "/r.csr")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/k.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let result = try TestSupport.openssl(["req", "-in", directory + "/r.csr", "-noout", "-verify", "-subject"])
        #expect(result.status == 0)
        #expect(result.output.contains("C = GB, O = OpenBanking, OU = 0015800001041REAAY, CN = Soft1"))
    }

    @Test("a CSR whose signature does not verify is refused")
    func tamperedSignature() throws {
        let pki = try SandboxPKI.shared()
        let good = try SandboxCSR.generate(subject: .legacy(orgID: Self.orgID, softwareID: "Soft1"), kind: .transport)
        let other = try SandboxCSR.generate(subject: .legacy(orgID: Self.orgID, softwareID: "Soft2"), kind: .transport)
        // Soft2's signature over Soft1's request info: a subject swapped after signing.
        let forged = try CertificateSigningRequest(
            version: good.request.version,
            subject: good.request.subject,
            publicKey: good.request.publicKey,
            attributes: good.request.attributes,
            signatureAlgorithm: other.request.signatureAlgorithm,
            signature: other.request.signature
        )
        #expect(throws: CSRError.invalidSignature) {
            try CSRSigner.sign(forged, kind: .transport, issuer: pki.issuingCA)
        }
    }

    @Test("subjects that are not OB-shaped are refused with the rule", arguments: [
        "CN=Soft1,O=OpenBanking,C=GB",
        "CN=Soft1,OU=org,O=Elsewhere,C=GB",
        "CN=Soft1,OU=org,O=OpenBanking,C=FR",
        "OU=org,CN=Soft1,O=OpenBanking,C=GB",
    ])
    func badSubjects(_ rendered: String) throws {
        let pki = try SandboxPKI.shared()
        let name = try Self.name(rendered)
        let key = try SandboxKeyType.p256.makePrivateKey()
        let request = try CertificateSigningRequest(
            version: .v1, subject: name, privateKey: key, attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256)
        #expect { try CSRSigner.sign(request, kind: .transport, issuer: pki.issuingCA, allowP256: true) } throws: {
            ($0 as? CSRError)?.code == "invalid_subject"
        }
    }

    @Test("P-256 keys are refused unless allowed; non-CSR PEM is refused")
    func keysAndPEM() throws {
        let pki = try SandboxPKI.shared()
        let csr = try SandboxCSR.generate(subject: .legacy(orgID: Self.orgID, softwareID: "Soft1"), kind: .transport, key: .p256)
        #expect { try CSRSigner.sign(csr.request, kind: .transport, issuer: pki.issuingCA) } throws: {
            ($0 as? CSRError)?.code == "unsupported_key"
        }
        _ = try CSRSigner.sign(csr.request, kind: .transport, issuer: pki.issuingCA, allowP256: true)
        #expect { try SandboxCSR.parse(pem: pki.transport.certificatePEM) } throws: {
            ($0 as? CSRError)?.code == "not_a_certificate_request"
        }
        #expect { try SandboxCSR.parse(pem: "garbage") } throws: { ($0 as? CSRError)?.code == "not_a_certificate_request" }
    }

    /// A DN from `CN=…,OU=…` text (RFC 4514 order), with C as PrintableString like OB's.
    static func name(_ rendered: String) throws -> DistinguishedName {
        let types: [String: ASN1ObjectIdentifier] = [
            "CN": .RDNAttributeType.commonName, "OU": .RDNAttributeType.organizationalUnitName,
            "O": .RDNAttributeType.organizationName, "C": .RDNAttributeType.countryName,
        ]
        var rdns: [RelativeDistinguishedName] = []
        for part in rendered.split(separator: ",").reversed() {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            let type = try #require(types[pieces[0]])
            rdns.append(
                RelativeDistinguishedName(
                    pieces[0] == "C"
                        ? try .init(type: type, printableString: pieces[1]) : .init(type: type, utf8String: pieces[1])
                )
            )
        }
        return DistinguishedName(rdns)
    }
}
