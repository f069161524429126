import SwiftASN1
import Testing
import X509

@testable import MTLSIdentity

@Suite("DN rendering")
struct DistinguishedNameFormatterTests {
    typealias A = RelativeDistinguishedName.Attribute
    static let cn = ASN1ObjectIdentifier.RDNAttributeType.commonName
    static let o = ASN1ObjectIdentifier.RDNAttributeType.organizationName
    static let ou = ASN1ObjectIdentifier.RDNAttributeType.organizationalUnitName
    static let c = ASN1ObjectIdentifier.RDNAttributeType.countryName
    static let orgIdentifier: ASN1ObjectIdentifier = [2, 5, 4, 97]

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        /// DER order (most significant first).
        let rdns: [[A]]
        /// Expected strict RFC 4514 rendering, when asserted.
        let rfc4514: String?
        var testDescription: String { self.label }
    }

    static let cases: [Case] = [
        Case(
            label: "legacy OB transport",
            rdns: [
                [TestCertificates.printable(c, "GB")], [TestCertificates.printable(o, "OpenBanking")],
                [TestCertificates.printable(ou, "0015800001041REAAY")],
                [TestCertificates.printable(cn, "2ZVHy1MEB0Ar8ov2lgcsMM")],
            ],
            rfc4514: "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB"
        ),
        Case(
            label: "OBWAC with organizationIdentifier",
            rdns: [
                [TestCertificates.printable(c, "GB")], [TestCertificates.utf8(o, "Legal Name Ltd")],
                [TestCertificates.utf8(orgIdentifier, "PSDGB-FCA-123456")],
                [TestCertificates.printable(cn, "0015800001041REAAY")],
            ],
            rfc4514: "CN=0015800001041REAAY,2.5.4.97=#0c1050534447422d4643412d313233343536,O=Legal Name Ltd,C=GB"
        ),
        Case(
            label: "RFC 4514 specials",
            rdns: [[TestCertificates.utf8(cn, #"a,b+c"d\e<f>g;h=i"#)]],
            rfc4514: #"CN=a\,b\+c\"d\\e\<f\>g\;h=i"#
        ),
        Case(
            label: "leading hash and spaces, trailing space",
            rdns: [
                [TestCertificates.utf8(o, "#hash")], [TestCertificates.utf8(ou, "  two leading")],
                [TestCertificates.utf8(cn, "trail  ")],
            ],
            rfc4514: ##"CN=trail \ ,OU=\  two leading,O=\#hash"##
        ),
        Case(
            label: "single-character values",
            rdns: [[TestCertificates.utf8(o, "#")], [TestCertificates.utf8(ou, " ")], [TestCertificates.utf8(cn, "")]],
            rfc4514: ##"CN=,OU=\ ,O=\#"##
        ),
        Case(
            label: "multi-valued RDN",
            rdns: [[TestCertificates.utf8(c, "GB")], [TestCertificates.utf8(ou, "a+b"), TestCertificates.utf8(cn, "b")]],
            rfc4514: nil
        ),
        Case(
            label: "non-ASCII UTF8String",
            rdns: [[TestCertificates.utf8(o, "Zürich")], [TestCertificates.utf8(cn, "é日本😀")]],
            rfc4514: "CN=é日本😀,O=Zürich"
        ),
        Case(
            label: "PrintableString and UTF8String of the same text",
            rdns: [[TestCertificates.printable(o, "Same Text")], [TestCertificates.utf8(cn, "Same Text")]],
            rfc4514: "CN=Same Text,O=Same Text"
        ),
        Case(
            label: "named non-RFC4514 types",
            rdns: [
                [TestCertificates.ia5([1, 2, 840, 113_549, 1, 9, 1], "ops@example.com")],
                [TestCertificates.printable([2, 5, 4, 5], "12345")], [TestCertificates.utf8([2, 5, 4, 12], "Director")],
                [TestCertificates.utf8([2, 5, 4, 4], "Smith")], [TestCertificates.utf8([2, 5, 4, 42], "Ann")],
                [TestCertificates.ia5([0, 9, 2342, 19_200_300, 100, 1, 25], "example")],
                [TestCertificates.utf8([0, 9, 2342, 19_200_300, 100, 1, 1], "ann")],
                [TestCertificates.utf8([2, 5, 4, 9], "1 High St")],
                [TestCertificates.utf8([2, 5, 4, 15], "Private Organization")],
                [TestCertificates.printable([1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3], "GB")],
            ],
            rfc4514: "1.3.6.1.4.1.311.60.2.1.3=#13024742,2.5.4.15=#0c1450726976617465204f7267616e697a6174696f6e,"
                + "STREET=1 High St,UID=ann,DC=example,2.5.4.42=#0c03416e6e,2.5.4.4=#0c05536d697468,"
                + "2.5.4.12=#0c084469726563746f72,2.5.4.5=#13053132333435,"
                + "1.2.840.113549.1.9.1=#160f6f7073406578616d706c652e636f6d"
        ),
        Case(
            label: "unknown OID",
            rdns: [[TestCertificates.utf8([1, 2, 3, 4], "foo")], [TestCertificates.utf8(cn, "x")]],
            rfc4514: "CN=x,1.2.3.4=#0c03666f6f"
        ),
        Case(
            label: "control characters",
            rdns: [[TestCertificates.utf8(cn, "a\r\nb\tc\u{7F}d\u{0}e")]],
            rfc4514: #"CN=a\0D\0Ab\09c\7Fd\00e"#
        ),
        Case(
            label: "other string tags",
            rdns: [
                [TestCertificates.raw(c, tag: 0x1E, [0x00, 0x47, 0x00, 0xE9])],  // BMPString "Gé"
                [TestCertificates.raw(o, tag: 0x14, [0x43, 0x61, 0x66, 0xE9])],  // T61String "Café" (Latin-1)
                [TestCertificates.raw(ou, tag: 0x1C, [0, 0, 0, 0x55, 0, 1, 0xF6, 0x00])],  // UniversalString "U😀"
                [TestCertificates.raw(cn, tag: 0x13, Array("a@b*c&d".utf8))],  // PrintableString with invalid chars
            ],
            rfc4514: "CN=a@b*c&d,OU=U😀,O=Café,C=Gé"
        ),
        Case(
            label: "non-string value of a known type",
            rdns: [
                [TestCertificates.raw(o, tag: 0x03, [0x00, 0xFF])],  // BIT STRING
                [TestCertificates.raw([2, 5, 4, 97], tag: 0x30, [0x0C, 0x01, 0x78])],  // SEQUENCE
            ],
            rfc4514: "2.5.4.97=#30030c0178,O=#030200ff"
        ),
    ]

    @Test("matches openssl -nameopt RFC2253", arguments: Self.cases)
    func opensslRendering(_ testCase: Case) throws {
        let issued = try TestCertificates.issue(subject: TestCertificates.name(testCase.rdns))
        let output = try TestCertificates.openssl(issued.der, ["-noout", "-subject", "-nameopt", "RFC2253"])
        let expected = try #require(TestCertificates.field("subject", in: output))
        #expect(DistinguishedNameFormatter.string(issued.certificate.subject, format: .openssl) == expected)
        let identity = try ClientIdentity(validatedChain: [issued.certificate])
        #expect(identity.subjectDN(.openssl) == expected)
        #expect(identity.issuerDN(.openssl) == expected)
    }

    @Test("strict RFC 4514", arguments: Self.cases.filter { $0.rfc4514 != nil })
    func rfc4514Rendering(_ testCase: Case) throws {
        let dn = TestCertificates.name(testCase.rdns)
        #expect(DistinguishedNameFormatter.string(dn, format: .rfc4514) == testCase.rfc4514)
    }

    @Test("renderings parse back to a matching name", arguments: Self.cases)
    func renderingsParseBack(_ testCase: Case) throws {
        let dn = TestCertificates.name(testCase.rdns)
        let original = ParsedDistinguishedName(dn)
        for format in DNFormat.allCases {
            let text = DistinguishedNameFormatter.string(dn, format: format)
            let parsed = try ParsedDistinguishedName(parsing: text)
            #expect(parsed.matches(original), "\(format): \(text)")
        }
    }

    @Test("no CR, LF or NUL in any rendering", arguments: Self.cases)
    func noControlCharacters(_ testCase: Case) {
        let dn = TestCertificates.name(testCase.rdns)
        for format in DNFormat.allCases {
            let bytes = Array(DistinguishedNameFormatter.string(dn, format: format).utf8)
            #expect(!bytes.contains(0x0D) && !bytes.contains(0x0A) && !bytes.contains(0x00))
        }
    }
}
