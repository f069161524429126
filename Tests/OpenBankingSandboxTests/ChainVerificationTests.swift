import Foundation
import OpenBankingSandbox
import Testing
import X509

@Suite("Generated chains verify, negatives fail")
struct ChainVerificationTests {
    let pki: SandboxPKI
    let now: Date

    init() throws {
        self.pki = try TestSupport.fastPKI.get()
        self.now = Date()
    }

    @Test("transport verifies leaf → issuing CA → root")
    func transportChain() async throws {
        let chain = try #require(
            await TestSupport.validatedChain(
                self.pki.transport.certificate,
                roots: [self.pki.root.certificate],
                intermediates: [self.pki.issuingCA.certificate],
                at: self.now
            )
        )
        #expect(chain == [self.pki.transport.certificate, self.pki.issuingCA.certificate, self.pki.root.certificate])
    }

    @Test("every positive leaf verifies to the sandbox root")
    func positives() async throws {
        for leaf in [self.pki.server, self.pki.obwacTransport, self.pki.signing, self.pki.directorySigning] {
            let chain = await TestSupport.validatedChain(
                leaf.certificate,
                roots: [self.pki.root.certificate],
                intermediates: [self.pki.issuingCA.certificate],
                at: self.now
            )
            #expect(chain?.count == 3, "\(leaf.certificate.subject)")
        }
    }

    @Test("without the issuing CA the transport does not verify")
    func missingIntermediate() async {
        let chain = await TestSupport.validatedChain(
            self.pki.transport.certificate,
            roots: [self.pki.root.certificate],
            intermediates: [],
            at: self.now
        )
        #expect(chain == nil)
    }

    @Test("expired and not-yet-valid fail now but verify inside their own windows")
    func validityNegatives() async throws {
        for negative in [self.pki.expiredTransport, self.pki.notYetValidTransport] {
            let roots = [self.pki.root.certificate]
            let intermediates = [self.pki.issuingCA.certificate]
            let failing = await TestSupport.validatedChain(
                negative.certificate, roots: roots, intermediates: intermediates, at: self.now)
            #expect(failing == nil)
            let inside = negative.certificate.notValidBefore + 3_600
            let passing = await TestSupport.validatedChain(
                negative.certificate, roots: roots, intermediates: intermediates, at: inside)
            #expect(passing?.count == 3)
        }
        #expect(self.pki.expiredTransport.certificate.notValidAfter < self.now)
        #expect(self.pki.notYetValidTransport.certificate.notValidBefore > self.now)
    }

    @Test("the other CA's transport is untrusted by the sandbox root, trusted by its own")
    func otherCA() async {
        let untrusted = await TestSupport.validatedChain(
            self.pki.otherCATransport.certificate,
            roots: [self.pki.root.certificate],
            intermediates: [self.pki.issuingCA.certificate],
            at: self.now
        )
        #expect(untrusted == nil)
        let trusted = await TestSupport.validatedChain(
            self.pki.otherCATransport.certificate,
            roots: [self.pki.otherRoot.certificate],
            intermediates: [],
            at: self.now
        )
        #expect(trusted?.count == 2)
        #expect(self.pki.otherCATransport.certificate.subject == self.pki.transport.certificate.subject)
    }

    @Test("the wrong-EKU transport chains fine but has serverAuth and no clientAuth")
    func wrongEKU() async throws {
        let chain = await TestSupport.validatedChain(
            self.pki.wrongEKUTransport.certificate,
            roots: [self.pki.root.certificate],
            intermediates: [self.pki.issuingCA.certificate],
            at: self.now
        )
        #expect(chain?.count == 3)
        let eku = try #require(try self.pki.wrongEKUTransport.certificate.extensions.extendedKeyUsage)
        #expect(eku.contains(.serverAuth))
        #expect(!eku.contains(.clientAuth))
    }

    @Test("an unknown critical extension makes verification fail")
    func unknownCriticalExtension() async throws {
        let odd = try CertificateIssuer.issue(
            subject: self.pki.transport.certificate.subject,
            key: .p256,
            issuer: self.pki.issuingCA,
            profile: .tlsClient,
            notBefore: self.now - 60,
            notAfter: self.now + 3_600,
            additionalExtensions: [Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 99999, 1], critical: true, value: [0x05, 0x00])]
        )
        let chain = await TestSupport.validatedChain(
            odd.certificate,
            roots: [self.pki.root.certificate],
            intermediates: [self.pki.issuingCA.certificate],
            at: self.now
        )
        #expect(chain == nil)
    }
}
