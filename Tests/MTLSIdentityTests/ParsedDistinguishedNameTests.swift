import SwiftASN1
import Testing
import X509

@testable import MTLSIdentity

@Suite("DN parsing and matching")
struct ParsedDistinguishedNameTests {
    static let obwac = "CN=0015800001041REAAY,organizationIdentifier=PSDGB-FCA-123456,O=Legal Name Ltd,C=GB"

    /// Spellings of the same OBWAC subject by different stacks (open-banking.md §2).
    @Test(
        "equivalent spellings match",
        arguments: [
            "CN=0015800001041REAAY,2.5.4.97=PSDGB-FCA-123456,O=Legal Name Ltd,C=GB",  // swift-certificates
            "CN=0015800001041REAAY,2.5.4.97=#0c1050534447422d4643412d313233343536,O=Legal Name Ltd,C=GB",  // Java
            "CN=0015800001041REAAY,2.5.4.97=#131050534447422D4643412D313233343536,O=Legal Name Ltd,C=GB",  // Printable
            "CN=0015800001041REAAY, OID.2.5.4.97=PSDGB-FCA-123456, O=Legal Name Ltd, C=GB",
            "cn = 0015800001041reaay , ORGANIZATIONIDENTIFIER = psdgb-fca-123456 , o=legal   name ltd,c=gb",
            "C=GB,O=Legal Name Ltd,organizationIdentifier=PSDGB-FCA-123456,CN=0015800001041REAAY",  // reversed
            "/C=GB/O=Legal Name Ltd/organizationIdentifier=PSDGB-FCA-123456/CN=0015800001041REAAY",  // OpenSSL slash
            #"CN=0015800001041REAAY,organizationIdentifier=PSDGB-FCA-123456,O="Legal Name Ltd",C=GB"#,
            #"CN=\30015800001041REAAY,organizationIdentifier=PSDGB\2DFCA-123456,O=Legal\ Name Ltd,C=GB"#,
        ]
    )
    func equivalentSpellings(_ spelling: String) throws {
        let reference = try ParsedDistinguishedName(parsing: Self.obwac)
        let other = try ParsedDistinguishedName(parsing: spelling)
        #expect(reference.matches(other))
        #expect(other.matches(reference))
    }

    @Test(
        "different names do not match",
        arguments: [
            ("CN=a,O=x", "CN=b,O=x") as (String, String),
            ("CN=a,O=x", "CN=a,O=x,C=GB"),
            ("CN=a,O=x", "CN=a+OU=b,O=x"),
            ("CN=a,OU=b", "CN=a,O=b"),  // same value, different type
            ("OU=a,OU=b,O=x", "O=x,OU=b,OU=a"),  // reversal ambiguous: duplicate types
            ("OU=a,OU=b", "OU=b,OU=a"),
            (##"CN=\#abc"##, "CN=#0403616263"),  // text never equals a binary value
            ("CN=a b", "CN=ab"),
            ("CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY", "CN=0015800001041REAAY,OU=2ZVHy1MEB0Ar8ov2lgcsMM"),
        ]
    )
    func differentNames(_ pair: (String, String)) throws {
        let lhs = try ParsedDistinguishedName(parsing: pair.0)
        let rhs = try ParsedDistinguishedName(parsing: pair.1)
        #expect(!lhs.matches(rhs))
        #expect(!rhs.matches(lhs))
    }

    @Test("multi-valued RDNs compare as sets, attribute types by OID")
    func multiValued() throws {
        let lhs = try ParsedDistinguishedName(parsing: "CN=b+OU=a,O=x")
        let rhs = try ParsedDistinguishedName(parsing: "ou=A + commonName=B, o=X")
        #expect(lhs.matches(rhs))
        #expect(lhs.rdns.count == 2)
        #expect(lhs.rdns[0].count == 2)
    }

    @Test("escapes, hex pairs and quoted values decode")
    func escapes() throws {
        let parsed = try ParsedDistinguishedName(parsing: #"CN=a\,b\+c\"d\\e\<f\>g\;h=i,O=\C3\A9t\C3\A9,OU="x, y",L=\ lead\ "#)
        let values = parsed.rdns.map { $0[0].value }
        #expect(values == [#"a,b+c"d\e<f>g;h=i"#, "été", "x, y", " lead "])
    }

    @Test("keywords map to OIDs")
    func keywords() throws {
        let cases: [(String, ASN1ObjectIdentifier)] = [
            ("E", [1, 2, 840, 113_549, 1, 9, 1]), ("emailAddress", [1, 2, 840, 113_549, 1, 9, 1]),
            ("serialNumber", [2, 5, 4, 5]), ("SN", [2, 5, 4, 4]), ("GN", [2, 5, 4, 42]), ("title", [2, 5, 4, 12]),
            ("street", [2, 5, 4, 9]), ("STREET", [2, 5, 4, 9]), ("S", [2, 5, 4, 8]), ("ST", [2, 5, 4, 8]),
            ("UID", [0, 9, 2342, 19_200_300, 100, 1, 1]), ("DC", [0, 9, 2342, 19_200_300, 100, 1, 25]),
            ("organizationIdentifier", [2, 5, 4, 97]), ("OID.2.5.4.97", [2, 5, 4, 97]), ("1.2.3.4", [1, 2, 3, 4]),
            ("jurisdictionC", [1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3]),
        ]
        for (keyword, oid) in cases {
            let parsed = try ParsedDistinguishedName(parsing: "\(keyword)=v")
            #expect(parsed.rdns[0][0].type == oid, "\(keyword)")
        }
    }

    @Test("slash form: DER order reversed, escapes, + only before a type")
    func slashForm() throws {
        let parsed = try ParsedDistinguishedName(parsing: #"/C=GB/O=A\/B/OU=x+y/CN=n+emailAddress=m@example.com"#)
        #expect(parsed.rdns.map { $0.map(\.value) } == [["n", "m@example.com"], ["x+y"], ["A/B"], ["GB"]])
        #expect(try ParsedDistinguishedName(parsing: "").rdns.isEmpty)
    }

    @Test(
        "malformed input reports position and reason",
        arguments: [
            ("CN", 2, DistinguishedNameParseError.Reason.expectedEquals),
            ("=x", 0, .expectedAttributeType),
            ("Foo=x", 0, .unknownAttributeType("Foo")),
            ("CN=a;O=b", 4, .unexpectedCharacter(";")),
            ("CN=a,", 5, .unexpectedEnd),
            ("CN=#zz", 3, .invalidHexValue),
            ("CN=#0c02", 3, .invalidHexValue),
            (#"CN=a\"#, 4, .invalidEscape),
            (#"CN=a\4"#, 4, .invalidEscape),
            (#"CN=\C3"#, 3, .invalidUTF8),
            (#"CN="abc"#, 3, .unterminatedQuotedValue),
            ("1.2.x=a", 0, .invalidObjectIdentifier("1.2.x")),
            ("CN=a\u{0}", 4, .nulCharacter),
        ]
    )
    func malformed(_ input: (String, Int, DistinguishedNameParseError.Reason)) {
        #expect(throws: DistinguishedNameParseError(position: input.1, reason: input.2)) {
            try ParsedDistinguishedName(parsing: input.0)
        }
    }

    @Test("a certificate subject matches its own renderings and the OpenSSL slash form")
    func certificateSubject() throws {
        let subject = TestCertificates.name([
            [TestCertificates.printable(.RDNAttributeType.countryName, "GB")],
            [TestCertificates.printable(.RDNAttributeType.organizationName, "OpenBanking")],
            [TestCertificates.printable(.RDNAttributeType.organizationalUnitName, "0015800001041REAAY")],
            [TestCertificates.printable(.RDNAttributeType.commonName, "2ZVHy1MEB0Ar8ov2lgcsMM")],
        ])
        let parsed = ParsedDistinguishedName(subject)
        let slash = try ParsedDistinguishedName(parsing: "/C=GB/O=OpenBanking/OU=0015800001041REAAY/CN=2ZVHy1MEB0Ar8ov2lgcsMM")
        #expect(parsed.matches(slash))
        #expect(parsed == slash)
    }
}
