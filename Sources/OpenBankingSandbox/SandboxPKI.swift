import Foundation
import X509

/// The whole Open-Banking-shaped sandbox PKI: a root and issuing CA like OB's, a server certificate
/// for the gateway, TPP transport and signing certificates, token-signing keys, and the negatives
/// tests need.
///
/// Why it mirrors the real hierarchy (leaf → issuing CA with pathlen 0 → root, open-banking.md §1):
/// the gateway must be tested against the same chain depth, DN shapes and extensions it will meet
/// in production, including clients that omit the issuing CA.
public struct SandboxPKI: Sendable {
    /// `CN=MTLSGateway Sandbox Root CA,O=OpenBanking,C=GB` (RSA 4096 by default).
    public let root: IssuedCertificate
    /// `CN=MTLSGateway Sandbox Issuing CA,O=OpenBanking,C=GB`, pathlen 0, issued by `root`.
    public let issuingCA: IssuedCertificate
    /// The server certificate: `localhost`, `127.0.0.1`, `::1` and the configured names.
    public let server: IssuedCertificate
    /// Legacy transport: `CN=<softwareID>,OU=<orgID>,O=OpenBanking,C=GB`, clientAuth.
    public let transport: IssuedCertificate
    /// OBWAC transport: `CN=<orgID>,2.5.4.97=<organizationIdentifier>,O=<legal name>,C=GB`,
    /// clientAuth, PSD2 qcStatements.
    public let obwacTransport: IssuedCertificate
    /// Legacy signing: the transport DN, digitalSignature + nonRepudiation.
    public let signing: IssuedCertificate
    /// The authorization server's token-signing key (RSA 2048 by default, for PS256).
    public let asSigningKey: Certificate.PrivateKey
    /// The sandbox directory's SSA signing key and certificate (RSA 2048 by default).
    public let directorySigning: IssuedCertificate
    /// A transport certificate whose notAfter is a day before `Options.now`.
    public let expiredTransport: IssuedCertificate
    /// A transport certificate whose notBefore is a day after `Options.now`.
    public let notYetValidTransport: IssuedCertificate
    /// A transport certificate with EKU serverAuth only.
    public let wrongEKUTransport: IssuedCertificate
    /// An unrelated root CA, `CN=MTLSGateway Untrusted Root CA,O=Elsewhere,C=GB` (key type of the
    /// issuing CA: its size does not matter and RSA 4096 is slow to generate).
    public let otherRoot: IssuedCertificate
    /// A transport certificate with the right DN and extensions, issued directly by `otherRoot`.
    public let otherCATransport: IssuedCertificate

    /// Generates a complete PKI. With the defaults this generates thirteen RSA keys (one of 4096 bits)
    /// and takes a few seconds in a debug build; tests should use `Options.fast` or `SandboxPKI.shared()`.
    public static func generate(_ options: Options = .init()) throws -> SandboxPKI {
        try options.validate()
        let now = options.now
        let start = now - Validity.backdate
        let caStart = now - Validity.caBackdate
        let caName = "OpenBanking"

        let root = try CertificateIssuer.makeRoot(
            subject: OpenBankingSubject.simple(commonName: "MTLSGateway Sandbox Root CA", organization: caName),
            key: options.rootKey,
            notBefore: caStart,
            notAfter: now + Validity.root
        )
        let issuingCA = try CertificateIssuer.issue(
            subject: OpenBankingSubject.simple(commonName: "MTLSGateway Sandbox Issuing CA", organization: caName),
            key: options.issuingKey,
            issuer: root,
            profile: .intermediateCA(pathLength: 0),
            notBefore: caStart,
            notAfter: now + Validity.issuingCA
        )

        let names = try ServerName.partition(["localhost", "127.0.0.1", "::1"] + options.serverNames)
        let serverCN = options.serverNames.first { ServerName.ipAddressBytes($0) == nil } ?? "localhost"
        let server = try CertificateIssuer.issue(
            subject: OpenBankingSubject.simple(commonName: serverCN, organization: "MTLSGateway Sandbox"),
            key: options.leafKey,
            issuer: issuingCA,
            profile: .tlsServer(dnsNames: names.dnsNames, ipAddresses: names.ipAddresses),
            notBefore: start,
            notAfter: now + Validity.leaf
        )

        let legacyDN = try OpenBankingSubject.legacy(orgID: options.orgID, softwareID: options.softwareID)
        func leaf(
            _ subject: DistinguishedName,
            _ profile: CertificateProfile,
            key: SandboxKeyType = options.leafKey,
            issuer: IssuedCertificate = issuingCA,
            from notBefore: Date = start,
            to notAfter: Date = now + Validity.leaf,
            extra: [Certificate.Extension] = []
        ) throws -> IssuedCertificate {
            try CertificateIssuer.issue(
                subject: subject,
                key: key,
                issuer: issuer,
                profile: profile,
                notBefore: notBefore,
                notAfter: notAfter,
                additionalExtensions: extra
            )
        }

        let obwacDN = try OpenBankingSubject.obwac(
            legalName: options.legalName,
            organizationIdentifier: options.organizationIdentifier,
            orgID: options.orgID
        )
        let qcStatements = try PSD2QCStatements(roles: options.psd2Roles).makeExtension()
        let otherRoot = try CertificateIssuer.makeRoot(
            subject: OpenBankingSubject.simple(commonName: "MTLSGateway Untrusted Root CA", organization: "Elsewhere"),
            key: options.issuingKey,
            notBefore: caStart,
            notAfter: now + Validity.root
        )
        let directoryDN = try OpenBankingSubject.simple(
            commonName: "MTLSGateway Sandbox Directory SSA Signing",
            organization: caName
        )

        return SandboxPKI(
            root: root,
            issuingCA: issuingCA,
            server: server,
            transport: try leaf(legacyDN, .tlsClient),
            obwacTransport: try leaf(obwacDN, .tlsClient, extra: [qcStatements]),
            signing: try leaf(legacyDN, .signing),
            asSigningKey: try options.tokenSigningKey.makePrivateKey(),
            directorySigning: try leaf(directoryDN, .signing, key: options.tokenSigningKey),
            expiredTransport: try leaf(legacyDN, .tlsClient, from: now - Validity.expiredSpan, to: now - Validity.day),
            notYetValidTransport: try leaf(legacyDN, .tlsClient, from: now + Validity.day, to: now + Validity.leaf),
            wrongEKUTransport: try leaf(
                legacyDN,
                .endEntity(keyUsage: Self.transportKeyUsage(options.leafKey), extendedKeyUsage: [.serverAuth])
            ),
            otherRoot: otherRoot,
            otherCATransport: try leaf(legacyDN, .tlsClient, issuer: otherRoot)
        )
    }

    /// The keyUsage of the `tlsClient` profile, for negatives that copy it.
    private static func transportKeyUsage(_ key: SandboxKeyType) -> KeyUsage {
        KeyUsage(digitalSignature: true, keyEncipherment: key.isRSA)
    }

    /// Validity windows, relative to `Options.now`.
    enum Validity {
        static let day: TimeInterval = 86_400
        /// Start an hour early so a peer whose clock lags does not see "not yet valid".
        static let backdate: TimeInterval = 3_600
        /// CAs start two years back, so the expired transport certificate was once fully valid
        /// (its chain verifies at a time inside its own window) and fails for expiry alone.
        static let caBackdate: TimeInterval = 2 * 365 * day
        static let root: TimeInterval = 20 * 365 * day
        static let issuingCA: TimeInterval = 10 * 365 * day
        static let leaf: TimeInterval = 2 * 365 * day
        static let expiredSpan: TimeInterval = 365 * day
    }
}
