import Foundation
import GatewayCore
import HTTPTypes
import MTLSIdentity
import OpenBankingSandbox
import Testing

@testable import AuthorizationServer

@Suite("Identity from the gateway: RFC 9440 headers, trusted proxies, transport trust roots")
struct ForwardedIdentityTests {
    static let proxies = [
        try! CIDR(parsing: "127.0.0.1/32"), try! CIDR(parsing: "10.0.0.0/8"), try! CIDR(parsing: "::1/128"),
    ]

    static func resolver(intermediates: Bool = true) -> ForwardedIdentityResolver {
        ForwardedIdentityResolver(
            trustedProxies: Self.proxies,
            trustRoots: [ASFixtures.pki.root.certificate],
            intermediates: intermediates ? [ASFixtures.pki.issuingCA.certificate] : [],
            now: { Date() }
        )
    }

    @Test("headers are read only from trusted peers; a missing peer is never trusted")
    func trustedPeers() {
        let headers = ASFixtures.identityHeaders()
        let extract = { (peer: String?) in
            ForwardedIdentityHeaders.extract(headers: headers, peerIP: peer, trustedProxies: Self.proxies)
        }
        #expect(
            extract("127.0.0.1")
                == .presented(leaf: ASFixtures.pki.transport.derBytes, chain: [ASFixtures.pki.issuingCA.derBytes])
        )
        #expect(extract("10.1.2.3") != .untrustedPeer("10.1.2.3"))
        #expect(extract("::ffff:127.0.0.1") != .untrustedPeer("::ffff:127.0.0.1"))
        #expect(extract("::1") != .untrustedPeer("::1"))
        #expect(extract("192.168.1.1") == .untrustedPeer("192.168.1.1"))
        #expect(extract(nil) == .untrustedPeer("unknown"))
        #expect(ForwardedIdentityHeaders.extract(headers: [:], peerIP: nil, trustedProxies: Self.proxies) == .none)
    }

    @Test("malformed, repeated or chain-only headers are refused, never half-read")
    func malformed() {
        let leaf = RFC9440.encodeCertificate(ASFixtures.pki.transport.derBytes)
        let cases: [HTTPFields] = [
            [HTTPField.Name("Client-Cert")!: "abc"],
            [HTTPField.Name("Client-Cert")!: ":not base64!:"],
            [HTTPField.Name("Client-Cert")!: leaf, HTTPField.Name("Client-Cert-Chain")!: "(1 2)"],
            HTTPFields([
                HTTPField(name: HTTPField.Name("Client-Cert")!, value: leaf),
                HTTPField(name: HTTPField.Name("Client-Cert")!, value: leaf),
            ]),
            [HTTPField.Name("Client-Cert-Chain")!: leaf],
        ]
        for headers in cases {
            let outcome = ForwardedIdentityHeaders.extract(
                headers: headers,
                peerIP: "127.0.0.1",
                trustedProxies: Self.proxies
            )
            guard case .malformed = outcome else {
                Issue.record("expected malformed for \(headers), got \(outcome)")
                continue
            }
        }
    }

    @Test("a chain to the transport roots yields an identity recomputed from DER; derived headers are ignored")
    func verified() async throws {
        var headers = ASFixtures.identityHeaders()
        headers[HTTPField.Name("X-Client-Cert-Subject-DN")!] = "CN=forged,O=Evil,C=GB"
        headers[HTTPField.Name("X-Client-Cert-Thumbprint-S256")!] = "forged"
        let outcome = await Self.resolver().resolve(headers: headers, peerIP: "127.0.0.1")
        let identity = try #require(outcome.identity)
        #expect(identity.subjectDN(.rfc4514) == ASFixtures.legacyDN)
        #expect(identity.thumbprintS256 == ASFixtures.thumbprint())
        #expect(identity.leafDER == ASFixtures.pki.transport.derBytes)
        #expect(identity.chain.count == 3)
    }

    @Test("a missing issuing CA is found among the configured intermediates, and only there")
    func intermediates() async {
        let headers = ASFixtures.identityHeaders(chain: [])
        #expect(await Self.resolver().resolve(headers: headers, peerIP: "127.0.0.1").identity != nil)
        let without = await Self.resolver(intermediates: false).resolve(headers: headers, peerIP: "127.0.0.1")
        #expect(without.identity == nil)
    }

    @Test(
        "certificates the gateway might accept but Open Banking must not are refused",
        arguments: [
            (\SandboxPKI.otherCATransport, ClientCertificateFailure.unknownIssuer),
            (\SandboxPKI.expiredTransport, .expired),
            (\SandboxPKI.notYetValidTransport, .notYetValid),
            (\SandboxPKI.wrongEKUTransport, .wrongExtendedKeyUsage),
        ] as [(KeyPath<SandboxPKI, IssuedCertificate> & Sendable, ClientCertificateFailure)]
    )
    func refused(_ certificate: KeyPath<SandboxPKI, IssuedCertificate> & Sendable, _ failure: ClientCertificateFailure)
        async
    {
        let headers = ASFixtures.identityHeaders(ASFixtures.pki[keyPath: certificate])
        let outcome = await Self.resolver().resolve(headers: headers, peerIP: "127.0.0.1")
        guard case .absent(.rejected(let reason)) = outcome else {
            Issue.record("expected a rejection, got \(outcome)")
            return
        }
        #expect(reason == failure)
    }

    @Test("a DER blob that is not a certificate is refused")
    func unparseable() async {
        let headers: HTTPFields = [
            HTTPField.Name("Client-Cert")!: RFC9440.encodeCertificate([0x30, 0x03, 0x02, 0x01, 0x01])
        ]
        let outcome = await Self.resolver().resolve(headers: headers, peerIP: "127.0.0.1")
        guard case .absent(.unparseableCertificate) = outcome else {
            Issue.record("expected unparseable, got \(outcome)")
            return
        }
    }
}
