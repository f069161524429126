import Foundation
import GatewayCore
import MTLSIdentity
import OpenBankingSandbox
import Testing
import X509

/// Root → issuing CA → client chains for the identity-header tests, generated at run time.
enum IdentityHeaderTestPKI {
    struct Chains: Sendable {
        /// Legacy OB leaf, issuing CA, root: a three-certificate validated path.
        let legacy: ClientIdentity
        /// OBWAC leaf issued directly by the root, with SANs.
        let obwac: ClientIdentity
        let legacyDER: [[UInt8]]
    }

    static let chains: Result<Chains, any Error> = Result { try Self.make() }

    static func make() throws -> Chains {
        let now = Date()
        let root = try CertificateIssuer.makeRoot(
            subject: try OpenBankingSubject.simple(commonName: "Test Root CA", organization: "OpenBanking"),
            key: .p256,
            notBefore: now - 60,
            notAfter: now + 3600
        )
        let issuing = try CertificateIssuer.issue(
            subject: try OpenBankingSubject.simple(commonName: "Test Issuing CA", organization: "OpenBanking"),
            key: .p256,
            issuer: root,
            profile: .intermediateCA(pathLength: 0),
            notBefore: now - 60,
            notAfter: now + 3600
        )
        let legacy = try CertificateIssuer.issue(
            subject: try OpenBankingSubject.legacy(orgID: "0015800001041REAAY", softwareID: "2ZVHy1MEB0Ar8ov2lgcsMM"),
            key: .p256,
            issuer: issuing,
            profile: .tlsClient,
            notBefore: now - 60,
            notAfter: now + 3600,
            serialNumber: .init(bytes: [0x00, 0xAB, 0xCD])
        )
        let sans = SubjectAlternativeNames([
            .uniformResourceIdentifier("spiffe://tpp.example/a,b"), .dnsName("tpp.example.com"),
            .dnsName("api.tpp.example.com"), .dnsName("bad\r\nname.example.com"),
        ])
        let obwac = try CertificateIssuer.issue(
            subject: try OpenBankingSubject.obwac(
                legalName: "Tpp \"Quoted\", Ltd",
                organizationIdentifier: "PSDGB-FCA-123456",
                orgID: "0015800001041REAAY"
            ),
            key: .p256,
            issuer: root,
            profile: .tlsClient,
            notBefore: now - 60,
            notAfter: now + 3600,
            additionalExtensions: [try Certificate.Extension(sans, critical: false)]
        )
        let legacyDER = [legacy.derBytes, issuing.derBytes, root.derBytes]
        return Chains(
            legacy: try ClientIdentity(validatedChainDER: legacyDER),
            obwac: try ClientIdentity(validatedChainDER: [obwac.derBytes, root.derBytes]),
            legacyDER: legacyDER
        )
    }

    static func render(_ headers: [(name: String, value: String)]) -> [String] {
        headers.map { "\($0.name): \($0.value)" }
    }
}

@Suite("IdentityHeaderBuilder")
struct IdentityHeaderBuilderTests {
    let chains: IdentityHeaderTestPKI.Chains

    init() throws {
        self.chains = try IdentityHeaderTestPKI.chains.get()
    }

    @Test("no identity: only X-Client-Cert-Verify: NONE, and only with the derived profile")
    func noIdentity() {
        let all = IdentityHeaderBuilder(profiles: IdentityHeaderProfile.allCases, dnFormat: .rfc4514)
        #expect(IdentityHeaderTestPKI.render(all.headers(for: nil)) == ["X-Client-Cert-Verify: NONE"])
        let others = IdentityHeaderBuilder(profiles: [.rfc9440, .xfcc, .nginx, .apache], dnFormat: .openssl)
        #expect(others.headers(for: nil).isEmpty)
        #expect(IdentityHeaderBuilder(profiles: [], dnFormat: .openssl).headers(for: self.chains.legacy).isEmpty)
    }

    @Test("rfc9440: leaf and intermediates, decodable with the shared codec")
    func rfc9440() throws {
        let builder = IdentityHeaderBuilder(profiles: [.rfc9440, .rfc9440], dnFormat: .openssl)
        #expect(builder.profiles == [.rfc9440])
        let headers = builder.headers(for: self.chains.legacy)
        #expect(headers.map(\.name) == ["Client-Cert", "Client-Cert-Chain"])
        #expect(try RFC9440.decodeCertificate(headers[0].value) == self.chains.legacyDER[0])
        #expect(try RFC9440.decodeCertificateChain(headers[1].value) == [self.chains.legacyDER[1]])
        // Leaf + anchor only: no intermediates, no chain header.
        let direct = builder.headers(for: self.chains.obwac)
        #expect(direct.map(\.name) == ["Client-Cert"])
    }

    @Test("derived, legacy certificate, both DN formats")
    func derivedLegacy() {
        let identity = self.chains.legacy
        for format in DNFormat.allCases {
            let headers = IdentityHeaderBuilder(profiles: [.derived], dnFormat: format).headers(for: identity)
            #expect(
                IdentityHeaderTestPKI.render(headers) == [
                    "X-Client-Cert-Subject-DN: CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB",
                    "X-Client-Cert-Issuer-DN: CN=Test Issuing CA,O=OpenBanking,C=GB",
                    "X-Client-Cert-Serial: ABCD",
                    "X-Client-Cert-Thumbprint-S256: \(identity.thumbprintS256)",
                    "X-Client-Cert-Verify: SUCCESS",
                    "X-Client-Cert-Org-Id: 0015800001041REAAY",
                    "X-Client-Cert-Software-Id: 2ZVHy1MEB0Ar8ov2lgcsMM",
                ]
            )
        }
    }

    @Test("derived, OBWAC: DN format decides organizationIdentifier's spelling")
    func derivedOBWAC() {
        let identity = self.chains.obwac
        let openssl = IdentityHeaderBuilder(profiles: [.derived], dnFormat: .openssl).headers(for: identity)
        #expect(
            openssl[0].value
                == #"CN=0015800001041REAAY,organizationIdentifier=PSDGB-FCA-123456,O=Tpp \"Quoted\"\, Ltd,C=GB"#
        )
        let strict = IdentityHeaderBuilder(profiles: [.derived], dnFormat: .rfc4514).headers(for: identity)
        #expect(
            strict[0].value
                == #"CN=0015800001041REAAY,2.5.4.97=#0c1050534447422d4643412d313233343536,O=Tpp \"Quoted\"\, Ltd,C=GB"#
        )
        #expect(
            IdentityHeaderTestPKI.render(Array(strict[4...])) == [
                "X-Client-Cert-Verify: SUCCESS",
                "X-Client-Cert-Org-Id: 0015800001041REAAY",
                "X-Client-Cert-Organization-Identifier: PSDGB-FCA-123456",
            ]
        )
    }

    @Test("xfcc: Envoy layout, quoting, URL-encoded PEMs; SANs with control characters skipped")
    func xfcc() throws {
        let identity = self.chains.obwac
        let headers = IdentityHeaderBuilder(profiles: [.xfcc], dnFormat: .rfc4514).headers(for: identity)
        #expect(headers.map(\.name) == ["X-Forwarded-Client-Cert"])
        let pem = CertificatePEM.encode(identity.leafDER)
        let encodedPEM = try #require(
            pem.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))
        )
        #expect(encodedPEM.hasPrefix("-----BEGIN%20CERTIFICATE-----%0A"))
        let subject = #"CN=0015800001041REAAY,organizationIdentifier=PSDGB-FCA-123456,O=Tpp \\\"Quoted\\\"\\, Ltd,C=GB"#
        #expect(
            headers[0].value
                == "Hash=\(identity.thumbprintS256Hex);Cert=\"\(encodedPEM)\";Chain=\"\(encodedPEM)\";Subject=\"\(subject)\""
                + ";URI=\"spiffe://tpp.example/a,b\";DNS=tpp.example.com;DNS=api.tpp.example.com"
        )
        // Chain = leaf + intermediates.
        let legacy = IdentityHeaderBuilder(profiles: [.xfcc], dnFormat: .openssl).headers(for: self.chains.legacy)[0].value
        let chainStart = try #require(legacy.range(of: ";Chain=\""))
        let chainValue = legacy[chainStart.upperBound...].prefix { $0 != "\"" }
        #expect(
            String(chainValue).removingPercentEncoding
                == CertificatePEM.encode(chain: [self.chains.legacyDER[0], self.chains.legacyDER[1]])
        )
    }

    @Test("nginx: $ssl_client_* conventions")
    func nginx() throws {
        let identity = self.chains.legacy
        let headers = IdentityHeaderBuilder(profiles: [.nginx], dnFormat: .rfc4514).headers(for: identity)
        #expect(
            Array(IdentityHeaderTestPKI.render(headers)[1...]) == [
                "X-SSL-Client-S-DN: CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB",
                "X-SSL-Client-I-DN: CN=Test Issuing CA,O=OpenBanking,C=GB",
                "X-SSL-Client-Serial: ABCD",
                "X-SSL-Client-Verify: SUCCESS",
                "X-SSL-Client-Fingerprint: \(identity.thumbprintSHA1Hex)",
            ]
        )
        #expect(headers[0].name == "X-SSL-Client-Cert")
        #expect(headers[0].value.removingPercentEncoding == CertificatePEM.encode(identity.leafDER))
        #expect(!headers[0].value.contains("+") && !headers[0].value.contains("/") && !headers[0].value.contains("="))
    }

    @Test("apache: PEM with spaces, one SSL_CLIENT_CERT_CHAIN_n per intermediate")
    func apache() throws {
        let identity = self.chains.legacy
        let headers = IdentityHeaderBuilder(profiles: [.apache], dnFormat: .rfc4514).headers(for: identity)
        #expect(
            headers.map(\.name) == [
                "SSL_CLIENT_CERT", "SSL_CLIENT_S_DN", "SSL_CLIENT_I_DN", "SSL_CLIENT_VERIFY", "SSL_CLIENT_CERT_CHAIN_0",
            ]
        )
        let leafPEM = CertificatePEM.encode(identity.leafDER)
        #expect(headers[0].value == leafPEM.dropLast().replacingOccurrences(of: "\n", with: " "))
        #expect(headers[0].value.hasPrefix("-----BEGIN CERTIFICATE----- MII"))
        #expect(headers[0].value.hasSuffix(" -----END CERTIFICATE-----"))
        #expect(headers[3].value == "SUCCESS")
        let chainPEM = CertificatePEM.encode(self.chains.legacyDER[1])
        #expect(headers[4].value == chainPEM.dropLast().replacingOccurrences(of: "\n", with: " "))
    }

    @Test("every emitted name is stripped inbound; values never contain CR, LF or NUL")
    func emittedNamesAreIdentityHeaders() {
        for identity in [self.chains.legacy, self.chains.obwac] {
            for format in DNFormat.allCases {
                let builder = IdentityHeaderBuilder(profiles: IdentityHeaderProfile.allCases, dnFormat: format)
                for header in builder.headers(for: identity) {
                    #expect(IdentityHeaderNames.isIdentityHeader(header.name), "\(header.name)")
                    let bytes = Array(header.value.utf8)
                    #expect(!bytes.contains(0x0D) && !bytes.contains(0x0A) && !bytes.contains(0x00), "\(header.name)")
                }
            }
        }
    }

    @Test("certificate text with control characters cannot break the header block")
    func controlCharactersInCertificate() throws {
        let now = Date()
        let root = try CertificateIssuer.makeRoot(
            subject: DistinguishedName([
                RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationalUnitName, utf8String: "org\r\nX-Evil: 1")),
                RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, utf8String: "sw\u{0}\n")),
            ]),
            key: .p256,
            notBefore: now - 60,
            notAfter: now + 60
        )
        let identity = try ClientIdentity(validatedChainDER: [root.derBytes])
        let builder = IdentityHeaderBuilder(profiles: IdentityHeaderProfile.allCases, dnFormat: .rfc4514)
        let headers = builder.headers(for: identity)
        for header in headers {
            let bytes = Array(header.value.utf8)
            #expect(!bytes.contains(0x0D) && !bytes.contains(0x0A) && !bytes.contains(0x00), "\(header.name)")
        }
        #expect(headers.first { $0.name == "X-Client-Cert-Org-Id" }?.value == "org??X-Evil: 1")
        #expect(headers.first { $0.name == "X-Client-Cert-Subject-DN" }?.value == #"CN=sw\00\0A,OU=org\0D\0AX-Evil: 1"#)
    }
}
