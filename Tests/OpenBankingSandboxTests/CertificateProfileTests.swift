import Foundation
import OpenBankingSandbox
import Testing
import X509

@Suite("Profiles, names and extensions")
struct CertificateProfileTests {
    let pki: SandboxPKI

    init() throws {
        self.pki = try TestSupport.fastPKI.get()
    }

    @Test("legacy transport DN renders CN,OU,O,C and is stored C,O,OU,CN")
    func legacyDN() {
        let subject = self.pki.transport.certificate.subject
        #expect(subject.description == "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB")
        #expect(TestSupport.attributeTypes(subject) == ["2.5.4.6", "2.5.4.10", "2.5.4.11", "2.5.4.3"])
        #expect(self.pki.signing.certificate.subject == subject)
    }

    @Test("OBWAC DN is stored C,O,organizationIdentifier,CN and carries qcStatements")
    func obwacDN() throws {
        let certificate = self.pki.obwacTransport.certificate
        #expect(TestSupport.attributeTypes(certificate.subject) == ["2.5.4.6", "2.5.4.10", "2.5.4.97", "2.5.4.3"])
        #expect(
            certificate.subject.description
                == "CN=0015800001041REAAY,2.5.4.97=PSDGB-OB-Unknown0015800001041REAAY,O=MTLSGateway Sandbox TPP Ltd,C=GB"
        )
        let qc = try #require(certificate.extensions[oid: PSD2QCStatements.extensionOID])
        #expect(!qc.critical)
        let text = String(decoding: qc.value, as: UTF8.self)
        #expect(text.contains("PSP_AI") && text.contains("PSP_PI") && text.contains("GB-FCA"))
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == [.clientAuth])
    }

    @Test("CA extensions: root CA without path length, issuing CA pathlen 0, both keyCertSign+cRLSign")
    func caExtensions() throws {
        let root = self.pki.root.certificate.extensions
        #expect(try root.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
        #expect(root[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try root.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(root[oid: .X509ExtensionID.keyUsage]?.critical == true)
        let issuing = self.pki.issuingCA.certificate.extensions
        #expect(try issuing.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try issuing.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(self.pki.root.certificate.issuer == self.pki.root.certificate.subject)
        #expect(self.pki.issuingCA.certificate.issuer == self.pki.root.certificate.subject)
    }

    @Test("leaf extensions: clientAuth only, serverAuth with SANs, signing without EKU, all CA false")
    func leafExtensions() throws {
        let transport = self.pki.transport.certificate.extensions
        #expect(try transport.basicConstraints == .notCertificateAuthority)
        #expect(try transport.extendedKeyUsage.map(Array.init) == [.clientAuth])
        #expect(try transport.keyUsage?.digitalSignature == true)

        let server = self.pki.server.certificate.extensions
        #expect(try server.extendedKeyUsage.map(Array.init) == [.serverAuth])
        let sans = try #require(try server.subjectAlternativeNames)
        #expect(sans.contains(.dnsName("localhost")))
        #expect(Self.ipAddresses(sans) == [[127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]])

        let signing = self.pki.signing.certificate.extensions
        #expect(try signing.extendedKeyUsage == nil)
        #expect(try signing.keyUsage == KeyUsage(digitalSignature: true, nonRepudiation: true))
        #expect(try signing.basicConstraints == .notCertificateAuthority)
    }

    @Test("authority key identifiers point at the issuer's subject key identifier")
    func keyIdentifiers() throws {
        let pairs: [(IssuedCertificate, IssuedCertificate)] = [
            (self.pki.root, self.pki.root), (self.pki.issuingCA, self.pki.root),
            (self.pki.transport, self.pki.issuingCA), (self.pki.server, self.pki.issuingCA),
            (self.pki.otherCATransport, self.pki.otherRoot),
        ]
        for (subject, issuer) in pairs {
            let aki = try #require(try subject.certificate.extensions.authorityKeyIdentifier)
            let ski = try #require(try issuer.certificate.extensions.subjectKeyIdentifier)
            #expect(aki.keyIdentifier == ski.keyIdentifier)
        }
    }

    @Test("EC leaves omit keyEncipherment and are signed ecdsa-with-SHA256")
    func ecProfiles() throws {
        let usage = try #require(try self.pki.transport.certificate.extensions.keyUsage)
        #expect(!usage.keyEncipherment)
        #expect(self.pki.transport.certificate.signatureAlgorithm == .ecdsaWithSHA256)
    }

    @Test("RSA chain: sha256WithRSAEncryption, keyEncipherment on RSA leaves")
    func rsaProfiles() throws {
        let now = Date()
        let root = try CertificateIssuer.makeRoot(
            subject: OpenBankingSubject.simple(commonName: "RSA Root", organization: "Test"),
            key: .rsa(bits: 2048), notBefore: now - 60, notAfter: now + 3_600)
        let leaf = try CertificateIssuer.issue(
            subject: OpenBankingSubject.legacy(orgID: "org", softwareID: "software"),
            key: .p256, issuer: root, profile: .tlsClient, notBefore: now - 60, notAfter: now + 3_600)
        #expect(root.certificate.signatureAlgorithm == .sha256WithRSAEncryption)
        #expect(leaf.certificate.signatureAlgorithm == .sha256WithRSAEncryption)
        let rsaLeaf = try CertificateIssuer.issue(
            subject: OpenBankingSubject.legacy(orgID: "org", softwareID: "software"),
            publicKey: root.privateKey.publicKey, issuer: root, profile: .tlsClient,
            notBefore: now - 60, notAfter: now + 3_600)
        #expect(try rsaLeaf.extensions.keyUsage == KeyUsage(digitalSignature: true, keyEncipherment: true))
        #expect(root.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    }

    @Test("additional extensions replace profile ones; custom profile is used verbatim")
    func extensionControl() throws {
        let now = Date()
        let criticalEKU = try Certificate.Extension(ExtendedKeyUsage([.clientAuth]), critical: true)
        let issued = try CertificateIssuer.issue(
            subject: DistinguishedName([RelativeDistinguishedName([
                .init(type: .RDNAttributeType.commonName, utf8String: "a"),
                .init(type: .RDNAttributeType.organizationalUnitName, utf8String: "b"),
            ])]),
            key: .p256, issuer: self.pki.issuingCA, profile: .tlsClient,
            notBefore: now, notAfter: now + 60, serialNumber: 42, additionalExtensions: [criticalEKU])
        #expect(issued.certificate.extensions[oid: .X509ExtensionID.extendedKeyUsage]?.critical == true)
        #expect(issued.certificate.extensions.count(where: { $0.oid == .X509ExtensionID.extendedKeyUsage }) == 1)
        #expect(issued.certificate.serialNumber == 42)
        #expect(issued.certificate.subject.first?.count == 2)

        let bare = try CertificateIssuer.issue(
            subject: self.pki.transport.certificate.subject, key: .p256, issuer: self.pki.issuingCA,
            profile: .custom(extensions: Certificate.Extensions()), notBefore: now, notAfter: now + 60)
        #expect(bare.certificate.extensions.isEmpty)
    }

    @Test("bad inputs are refused with stable codes")
    func badInputs() {
        #expect(throws: SandboxPKIError.unsupportedKeySize(bits: 1024)) { try SandboxKeyType.rsa(bits: 1024).makePrivateKey() }
        var options = SandboxPKI.Options.fast
        options.serverNames = ["not a name"]
        #expect(throws: SandboxPKIError.invalidServerName("not a name")) { try SandboxPKI.generate(options) }
        options = .fast
        options.orgID = ""
        #expect { try SandboxPKI.generate(options) } throws: { ($0 as? SandboxPKIError)?.code == "invalid_option" }
        #expect(throws: SandboxPKIError.self) {
            try IssuedCertificate(certificate: self.pki.transport.certificate, privateKey: self.pki.server.privateKey)
        }
    }

    @Test("server names: extra DNS names and IPs land in the SAN, first DNS name is the CN")
    func serverNames() throws {
        var options = SandboxPKI.Options.fast
        options.serverNames = ["gw.example.test", "10.1.2.3", "localhost", "*.api.example.test"]
        let pki = try SandboxPKI.generate(options)
        let sans = try #require(try pki.server.certificate.extensions.subjectAlternativeNames)
        #expect(sans.filter { if case .dnsName = $0 { true } else { false } } == [
            .dnsName("localhost"), .dnsName("gw.example.test"), .dnsName("*.api.example.test"),
        ])
        #expect(Self.ipAddresses(sans) == [
            [127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [10, 1, 2, 3],
        ])
        #expect(pki.server.certificate.subject.description == "CN=gw.example.test,O=MTLSGateway Sandbox,C=GB")
    }

    /// The iPAddress SAN entries as raw octets.
    static func ipAddresses(_ sans: SubjectAlternativeNames) -> [[UInt8]] {
        sans.compactMap { name in
            if case .ipAddress(let octets) = name {
                return Array(octets.bytes)
            }
            return nil
        }
    }

    @Test("defaults mirror Open Banking key sizes")
    func defaultOptions() {
        let options = SandboxPKI.Options()
        #expect(options.rootKey == .rsa(bits: 4096))
        #expect(options.issuingKey == .rsa(bits: 2048))
        #expect(options.leafKey == .rsa(bits: 2048))
        #expect(options.tokenSigningKey == .rsa(bits: 2048))
        #expect(options.orgID.count == 18 && options.softwareID.count == 22)
    }
}
