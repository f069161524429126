import Foundation
import OpenBankingSandbox
import X509

/// A sandbox shaped for the directory and TPP tests: a fast (P-256) PKI whose directory key is RSA
/// (so SSAs are PS256), plus an RSA TPP signing certificate published in the default software's
/// JWKS (so request JWTs are PS256). Three RSA keys in all, generated once per test process.
struct SandboxFixtures: Sendable {
    static let orgID = "0015800001041REAAY"
    static let softwareID = "2ZVHy1MEB0Ar8ov2lgcsMM"
    static let redirectURI = "https://tpp.example.com/callback"

    private static let cached = Result<SandboxFixtures, any Error> { try SandboxFixtures() }

    /// The shared fixtures.
    static func shared() throws -> SandboxFixtures {
        try Self.cached.get()
    }

    let pki: SandboxPKI
    /// An RSA legacy signing certificate for the default software.
    let rsaSigning: IssuedCertificate
    /// The PKI's directory with `rsaSigning` published (use sig).
    let directory: SandboxDirectory

    private init() throws {
        var options = SandboxPKI.Options.fast
        options.tokenSigningKey = .rsa(bits: 2048)
        let pki = try SandboxPKI.generate(options)
        let rsaSigning = try CertificateIssuer.issue(
            subject: pki.signing.certificate.subject,
            key: .rsa(bits: 2048),
            issuer: pki.issuingCA,
            profile: .signing,
            notBefore: Date() - 3_600,
            notAfter: Date() + 86_400
        )
        var directory = try SandboxDirectory(pki: pki)
        try directory.publish(
            PublishedCertificate(certificate: rsaSigning.certificate, chain: [pki.issuingCA.certificate], use: .sig),
            orgID: Self.orgID,
            softwareID: Self.softwareID
        )
        self.pki = pki
        self.rsaSigning = rsaSigning
        self.directory = directory
    }

    /// An SSA request for the default software, pointing at `jwksBaseURL`.
    func ssaRequest(jwksBaseURL: String = "https://localhost:8444") -> SoftwareStatementRequest {
        SoftwareStatementRequest(
            orgID: Self.orgID,
            softwareID: Self.softwareID,
            redirectURIs: [Self.redirectURI, "https://tpp.example.com/other"],
            roles: ["AISP", "PISP"],
            jwksBaseURL: jwksBaseURL
        )
    }
}
