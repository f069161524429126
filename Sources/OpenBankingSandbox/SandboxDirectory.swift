import Foundation
import RegistrationCore
import X509

/// The sandbox Open Banking directory: its SSA signing key and JWKS, the software it knows with
/// their published certificates, and SSA issuance.
///
/// Why a value type: the directory's state is small and changes rarely (a certificate is
/// published, a software is added). The HTTP server asks for a snapshot per request, so the
/// same value serves tests (built in memory), `ob-sandbox directory serve` (re-read from disk) and
/// `ob-sandbox up` (in-process).
public struct SandboxDirectory: Sendable {
    /// The SSA `iss` of Open Banking.
    public static let defaultIssuer = "OpenBanking Ltd"
    /// Where the directory's own JWKS is served (the real keystore's path).
    public static let directoryJWKSPath = "/keystore/openbanking.jwks"

    /// The SSA `iss`.
    public let issuer: String
    /// The SSA signing key and certificate.
    public let signing: IssuedCertificate
    /// The CA certificates following the signing certificate in its `x5c`.
    public let signingChain: [Certificate]
    /// The known software, in registration order.
    public private(set) var software: [SoftwareRecord]

    /// A directory signing with `signing`.
    public init(
        signing: IssuedCertificate,
        signingChain: [Certificate] = [],
        issuer: String = Self.defaultIssuer,
        software: [SoftwareRecord] = []
    ) {
        self.signing = signing
        self.signingChain = signingChain
        self.issuer = issuer
        self.software = software
    }

    /// The directory of a sandbox PKI: its directory signing key, and one software (the ids of the
    /// legacy transport certificate) publishing the legacy transport and the OBWAC transport
    /// certificates (`use: tls`) and the legacy signing certificate (`use: sig`).
    ///
    /// - Throws: ``CSRError`` if the PKI's transport certificate does not have a legacy OB subject.
    public init(pki: SandboxPKI) throws {
        self.init(signing: pki.directorySigning, signingChain: [pki.issuingCA.certificate])
        let subject = try CSRSubject(parsing: pki.transport.certificate.subject)
        guard let softwareID = subject.softwareID else {
            throw CSRError.missingSoftwareID
        }
        let chain = [pki.issuingCA.certificate]
        for (certificate, use) in [
            (pki.signing.certificate, PublishedCertificate.Use.sig), (pki.transport.certificate, .tls),
            (pki.obwacTransport.certificate, .tls),
        ] {
            try self.publish(
                PublishedCertificate(certificate: certificate, chain: chain, use: use),
                orgID: subject.orgID,
                softwareID: softwareID
            )
        }
    }

    /// The directory key's `kid` (RFC 7638 thumbprint): the SSA header names it.
    public func keyID() throws -> String {
        try JWKThumbprint.keyID(of: self.signing.certificate.publicKey)
    }

    /// The directory's signing key, as published.
    public var signingCertificate: PublishedCertificate {
        PublishedCertificate(certificate: self.signing.certificate, chain: self.signingChain, use: .sig)
    }

    /// The JWKS served at ``directoryJWKSPath`` and written to `directory.jwks`: the SSA signing
    /// key with `kid`, `use: sig`, `alg`, `x5c`, `x5t`, `x5t#S256`.
    public func directoryJWKS() throws -> JSONValue {
        .object(["keys": .array([.object(try self.signingCertificate.json())])])
    }

    /// The software with these ids, if known.
    public func softwareRecord(orgID: String, softwareID: String) -> SoftwareRecord? {
        self.software.first { $0.orgID == orgID && $0.softwareID == softwareID }
    }

    /// The JWKS served at `/{org_id}/{software_id}.jwks`, `nil` for unknown software.
    public func softwareJWKS(orgID: String, softwareID: String) throws -> JSONValue? {
        guard let record = self.softwareRecord(orgID: orgID, softwareID: softwareID) else {
            return nil
        }
        return .object(["keys": .array(try record.certificates.map { .object(try $0.json()) })])
    }

    /// Publishes a certificate in a software's JWKS (adding the software if new). Publishing the
    /// same certificate twice is a no-op.
    ///
    /// - Throws: ``SandboxDirectoryError/invalidID(name:value:)`` for ids unsafe in a URL path,
    ///   ``SandboxDirectoryError/unsupportedKey`` for keys that cannot be a JWK.
    public mutating func publish(_ certificate: PublishedCertificate, orgID: String, softwareID: String) throws {
        guard SoftwareRecord.isValidID(orgID) else {
            throw SandboxDirectoryError.invalidID(name: "org id", value: orgID)
        }
        guard SoftwareRecord.isValidID(softwareID) else {
            throw SandboxDirectoryError.invalidID(name: "software id", value: softwareID)
        }
        _ = try certificate.jsonWebKey()
        if let index = self.software.firstIndex(where: { $0.orgID == orgID && $0.softwareID == softwareID }) {
            if !self.software[index].certificates.contains(certificate) {
                self.software[index].certificates.append(certificate)
            }
        } else {
            self.software.append(SoftwareRecord(orgID: orgID, softwareID: softwareID, certificates: [certificate]))
        }
    }

    /// Issues an SSA: a compact JWS signed by the directory key (PS256 for RSA, ES256 for P-256),
    /// header `{"alg", "kid", "typ": "JWT"}` with the `kid` of ``directoryJWKS()``.
    ///
    /// Why no `exp`: real SSAs have none; the authorization server bounds their age
    /// (open-banking.md §6).
    ///
    /// - Throws: ``SandboxDirectoryError``.
    public func issueSoftwareStatement(
        _ request: SoftwareStatementRequest,
        now: Date = Date(),
        jwtID: String = UUID().uuidString
    ) throws -> String {
        try request.validate()
        let signer = try JWSKeyConversion.signer(self.signing.privateKey)
        do {
            return try signer.sign(claims: request.claims(issuer: self.issuer, issuedAt: now, jwtID: jwtID))
        } catch {
            throw SandboxDirectoryError.signingFailed
        }
    }
}
