import Foundation
import GatewayCore
import OpenBankingSandbox
import Testing
import X509

@Suite("client certificate validation")
struct ClientCertificateValidatorTests {
    static let pki: SandboxPKI = {
        do { return try SandboxPKI.generate(.fast) } catch { fatalError("\(error)") }
    }()

    static func validator(depth: Int = 4, intermediates: Bool = true, now: Date = Date()) -> ClientCertificateValidator {
        ClientCertificateValidator(
            trustRoots: [Self.pki.root.certificate],
            intermediates: intermediates ? [Self.pki.issuingCA.certificate] : [],
            maxChainDepth: depth,
            now: { now }
        )
    }

    @Test func validChainRunsLeafToAnchor() async {
        let result = await Self.validator().validate(presented: [Self.pki.transport.certificate])
        guard case .valid(let chain) = result else {
            Issue.record("expected valid, got \(result)")
            return
        }
        #expect(chain == [Self.pki.transport.certificate, Self.pki.issuingCA.certificate, Self.pki.root.certificate])
    }

    @Test func missingIntermediateIsUnknownCA() async {
        let result = await Self.validator(intermediates: false).validate(presented: [Self.pki.transport.certificate])
        #expect(Self.reason(result) == .unknownIssuer)
        let withChain = await Self.validator(intermediates: false).validate(presented: [Self.pki.transport.certificate, Self.pki.issuingCA.certificate])
        #expect(Self.reason(withChain) == nil, "the client's own intermediate builds the path")
    }

    @Test func negatives() async {
        let v = Self.validator()
        #expect(Self.reason(await v.validate(presented: [Self.pki.expiredTransport.certificate])) == .expired)
        #expect(Self.reason(await v.validate(presented: [Self.pki.notYetValidTransport.certificate])) == .notYetValid)
        #expect(Self.reason(await v.validate(presented: [Self.pki.wrongEKUTransport.certificate])) == .wrongExtendedKeyUsage)
        #expect(Self.reason(await v.validate(presented: [Self.pki.otherCATransport.certificate])) == .unknownIssuer)
        #expect(Self.reason(await v.validate(presented: [])) == .noCertificate)
        // A CA certificate is not a client certificate even though it chains.
        #expect(Self.reason(await v.validate(presented: [Self.pki.server.certificate])) == .wrongExtendedKeyUsage)
    }

    @Test func depthBound() async {
        #expect(Self.reason(await Self.validator(depth: 2).validate(presented: [Self.pki.transport.certificate])) == .chainTooLong)
        #expect(Self.reason(await Self.validator(depth: 3).validate(presented: [Self.pki.transport.certificate])) == nil)
    }

    @Test func clockIsInjectable() async {
        let later = Date().addingTimeInterval(50 * 365 * 86400)
        #expect(Self.reason(await Self.validator(now: later).validate(presented: [Self.pki.transport.certificate])) == .expired)
    }

    @Test func unknownCriticalExtensionFails() async throws {
        let odd = try CertificateIssuer.issue(
            subject: try DistinguishedName { CommonName("odd") },
            key: .p256,
            issuer: Self.pki.issuingCA,
            profile: .tlsClient,
            notBefore: Date().addingTimeInterval(-60),
            notAfter: Date().addingTimeInterval(3600),
            additionalExtensions: [Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 99999, 1], critical: true, value: [0x05, 0x00])]
        )
        #expect(Self.reason(await Self.validator().validate(presented: [odd.certificate])) == .unhandledCriticalExtension)
    }

    static func reason(_ result: ClientCertificateValidation) -> ClientCertificateFailure? {
        if case .invalid(let reason) = result { return reason }
        return nil
    }
}
