import Foundation
import MTLSIdentity
import RegistrationCore
import Testing

@Suite("tls_client_auth_subject_dn is compared by RDN (open-banking.md §2)")
struct SubjectDNTests {
    static let legacyNotations: [String] = [
        "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB",
        "CN=2ZVHy1MEB0Ar8ov2lgcsMM, OU=0015800001041REAAY, O=OpenBanking, C=GB",
        "cn=2ZVHy1MEB0Ar8ov2lgcsMM,ou=0015800001041REAAY,o=openbanking,c=gb",
        "/C=GB/O=OpenBanking/OU=0015800001041REAAY/CN=2ZVHy1MEB0Ar8ov2lgcsMM",
        "C=GB,O=OpenBanking,OU=0015800001041REAAY,CN=2ZVHy1MEB0Ar8ov2lgcsMM",
        "2.5.4.3=2ZVHy1MEB0Ar8ov2lgcsMM,2.5.4.11=0015800001041REAAY,2.5.4.10=OpenBanking,2.5.4.6=GB",
    ]

    /// The OBWAC subject as OpenSSL, swift-certificates (RFC 4514), Java (`#` DER hex), slash form
    /// and reversed order write it.
    static var obwacNotations: [String] {
        let organizationIdentifier = "PSDGB-OB-Unknown0015800001041REAAY"
        let hex =
            "0c" + String(format: "%02x", organizationIdentifier.utf8.count)
            + organizationIdentifier.utf8.map { String(format: "%02x", $0) }.joined()
        return [
            "CN=0015800001041REAAY,organizationIdentifier=\(organizationIdentifier),O=MTLSGateway Sandbox TPP Ltd,C=GB",
            "CN=0015800001041REAAY,2.5.4.97=\(organizationIdentifier),O=MTLSGateway Sandbox TPP Ltd,C=GB",
            "CN=0015800001041REAAY,2.5.4.97=#\(hex),O=MTLSGateway Sandbox TPP Ltd,C=GB",
            "/C=GB/O=MTLSGateway Sandbox TPP Ltd/organizationIdentifier=\(organizationIdentifier)/CN=0015800001041REAAY",
            "C=GB,O=MTLSGateway Sandbox TPP Ltd,2.5.4.97=\(organizationIdentifier),CN=0015800001041REAAY",
        ]
    }

    @Test("legacy subject notations match", arguments: Self.legacyNotations)
    func legacy(_ dn: String) throws {
        var scenario = Scenario()
        scenario.request["tls_client_auth_subject_dn"] = .string(dn)
        let registration = try scenario.run().get()
        #expect(registration.tlsClientAuthSubjectDN == dn, "kept exactly as registered")
    }

    @Test("OBWAC subject notations match", arguments: Self.obwacNotations)
    func obwac(_ dn: String) throws {
        var scenario = Scenario()
        scenario.presented = Fixtures.obwacIdentity
        scenario.thumbprints = [Fixtures.obwacIdentity.thumbprintS256]
        scenario.request["tls_client_auth_subject_dn"] = .string(dn)
        #expect(try scenario.run().get().tlsClientAuthSubjectDN == dn)
    }

    @Test("mismatched OBWAC subjects are refused")
    func obwacMismatch() {
        for dn in [
            "CN=0015800001041REAAY,organizationIdentifier=PSDGB-FCA-999999,O=MTLSGateway Sandbox TPP Ltd,C=GB",
            "CN=0015800001041REAAY,O=MTLSGateway Sandbox TPP Ltd,C=GB",
            "CN=0015800001041REAAY,OU=PSDGB-OB-Unknown0015800001041REAAY,O=MTLSGateway Sandbox TPP Ltd,C=GB",
        ] {
            var scenario = Scenario()
            scenario.presented = Fixtures.obwacIdentity
            scenario.thumbprints = [Fixtures.obwacIdentity.thumbprintS256]
            scenario.request["tls_client_auth_subject_dn"] = .string(dn)
            guard case .failure(let error) = scenario.run() else {
                Issue.record("\(dn) matched")
                continue
            }
            #expect(error.code == .invalidClientMetadata)
            #expect(error.claim == "tls_client_auth_subject_dn")
        }
    }
}
