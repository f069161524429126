import Crypto
import SwiftASN1
import Testing
import X509

@testable import MTLSIdentity

@Suite("ClientIdentity")
struct ClientIdentityTests {
    static func legacySubject() -> DistinguishedName {
        TestCertificates.name([
            [TestCertificates.printable(.RDNAttributeType.countryName, "GB")],
            [TestCertificates.printable(.RDNAttributeType.organizationName, "OpenBanking")],
            [TestCertificates.printable(.RDNAttributeType.organizationalUnitName, "0015800001041REAAY")],
            [TestCertificates.printable(.RDNAttributeType.commonName, "2ZVHy1MEB0Ar8ov2lgcsMM")],
        ])
    }

    @Test("legacy OB certificate: org id from OU, software id from CN")
    func legacyFields() throws {
        let chain = try TestCertificates.chain(leafSubject: Self.legacySubject())
        let identity = try ClientIdentity(validatedChain: chain.map(\.certificate))
        #expect(identity.orgID == "0015800001041REAAY")
        #expect(identity.softwareID == "2ZVHy1MEB0Ar8ov2lgcsMM")
        #expect(identity.organizationIdentifier == nil)
        #expect(identity.subjectDN(.openssl) == "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB")
        #expect(identity.issuerDN(.rfc4514) == "CN=Test Issuing CA")
        #expect(identity.leafDER == chain[0].der)
        #expect(identity.chainDER == chain.map(\.der))
        #expect(identity.intermediatesDER == [chain[1].der])
        #expect(identity.leaf == chain[0].certificate)
    }

    @Test("OBWAC: org id from CN, organizationIdentifier set, no software id")
    func obwacFields() throws {
        let subject = TestCertificates.name([
            [TestCertificates.printable(.RDNAttributeType.countryName, "GB")],
            [TestCertificates.utf8(.RDNAttributeType.organizationName, "Legal Name Ltd")],
            [TestCertificates.printable([2, 5, 4, 97], "PSDGB-FCA-123456")],
            [TestCertificates.printable(.RDNAttributeType.commonName, "0015800001041REAAY")],
        ])
        let identity = try ClientIdentity(validatedChain: [try TestCertificates.issue(subject: subject).certificate])
        #expect(identity.orgID == "0015800001041REAAY")
        #expect(identity.softwareID == nil)
        #expect(identity.organizationIdentifier == "PSDGB-FCA-123456")
        #expect(identity.intermediatesDER.isEmpty)
    }

    @Test("DER and Certificate initialisers agree; empty and malformed chains throw")
    func initialisers() throws {
        let chain = try TestCertificates.chain(leafSubject: Self.legacySubject())
        let fromDER = try ClientIdentity(validatedChainDER: chain.map(\.der))
        let fromCertificates = try ClientIdentity(validatedChain: chain.map(\.certificate))
        #expect(fromDER.thumbprintS256 == fromCertificates.thumbprintS256)
        #expect(fromDER.subjectDN(.openssl) == fromCertificates.subjectDN(.openssl))
        #expect(throws: ClientIdentityError.emptyChain) { try ClientIdentity(validatedChain: []) }
        #expect(throws: ClientIdentityError.emptyChain) { try ClientIdentity(validatedChainDER: []) }
        #expect(throws: ClientIdentityError.invalidCertificate(index: 1)) {
            try ClientIdentity(validatedChainDER: [chain[0].der, [0x30, 0x00]])
        }
    }

    @Test("thumbprints match openssl and RFC 8705")
    func thumbprints() throws {
        let issued = try TestCertificates.issue(subject: Self.legacySubject())
        let identity = try ClientIdentity(validatedChain: [issued.certificate])
        let sha256 = try #require(
            TestCertificates.field("sha256 Fingerprint", in: try TestCertificates.openssl(issued.der, ["-noout", "-fingerprint", "-sha256"]))
        )
        let sha1 = try #require(
            TestCertificates.field("sha1 Fingerprint", in: try TestCertificates.openssl(issued.der, ["-noout", "-fingerprint", "-sha1"]))
        )
        #expect(identity.thumbprintS256Hex == sha256.replacingOccurrences(of: ":", with: "").lowercased())
        #expect(identity.thumbprintSHA1Hex == sha1.replacingOccurrences(of: ":", with: "").lowercased())
        let digest = Array(SHA256.hash(data: issued.der))
        #expect(identity.thumbprintS256 == Base64.encode(digest, url: true, padding: false))
        #expect(identity.thumbprintS256.count == 43)
        #expect(!identity.thumbprintS256.contains("=") && !identity.thumbprintS256.contains("+"))
    }

    @Test(
        "serial number matches openssl x509 -serial",
        arguments: [
            [0x01], [0x7F], [0x80], [0x00, 0xFF], [0xFF, 0x00], [0x01, 0x00, 0x00],
            [0x00, 0x00, 0x12], Array(repeating: 0xAB, count: 20),
        ] as [[UInt8]]
    )
    func serial(_ bytes: [UInt8]) throws {
        let issued = try TestCertificates.issue(subject: Self.legacySubject(), serial: .init(bytes: bytes))
        let identity = try ClientIdentity(validatedChain: [issued.certificate])
        let expected = TestCertificates.field("serial", in: try TestCertificates.openssl(issued.der, ["-noout", "-serial"]))
        #expect(identity.serialNumberHex == expected)
    }

    @Test("zero and padded serials")
    func zeroSerial() {
        #expect(ClientIdentity.opensslSerialHex([0x00][...]) == "00")
        #expect(ClientIdentity.opensslSerialHex([][...]) == "00")
        #expect(ClientIdentity.opensslSerialHex([0x00, 0x00, 0x80][...]) == "80")
    }

    @Test("subject alternative names")
    func alternativeNames() throws {
        let issued = try TestCertificates.issue(
            subject: Self.legacySubject(),
            alternativeNames: [
                .dnsName("tpp.example.com"), .dnsName("*.example.org"),
                .uniformResourceIdentifier("spiffe://example.org/tpp"), .rfc822Name("ops@example.com"),
                .ipAddress(ASN1OctetString(contentBytes: [203, 0, 113, 7])),
                .ipAddress(ASN1OctetString(contentBytes: [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0])),
            ]
        )
        let identity = try ClientIdentity(validatedChain: [issued.certificate])
        #expect(identity.dnsNames == ["tpp.example.com", "*.example.org"])
        #expect(identity.uris == ["spiffe://example.org/tpp"])
        #expect(identity.emailAddresses == ["ops@example.com"])
        #expect(identity.ipAddresses == ["203.0.113.7", "2001:db8::1", "2001:db8:0:1::1:0"])
    }

    @Test("IPv6 text per RFC 5952")
    func ipv6() {
        func text(_ groups: [UInt16]) -> String? {
            ClientIdentity.ipAddressText(groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        }
        #expect(text([0, 0, 0, 0, 0, 0, 0, 1]) == "::1")
        #expect(text([0, 0, 0, 0, 0, 0, 0, 0]) == "::")
        #expect(text([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]) == "2001:db8:0:1:1:1:1:1")
        #expect(text([0x2001, 0, 0, 1, 0, 0, 0, 1]) == "2001:0:0:1::1")
        #expect(text([0xfe80, 0, 0, 0, 0, 0, 0, 0]) == "fe80::")
    }

    @Test("PEM armour equals openssl's")
    func pem() throws {
        let issued = try TestCertificates.issue(subject: Self.legacySubject())
        let expected = try TestCertificates.openssl(issued.der, ["-outform", "PEM"])
        #expect(CertificatePEM.encode(issued.der) == expected)
    }
}
