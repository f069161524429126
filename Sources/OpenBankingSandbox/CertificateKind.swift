/// What an Open Banking certificate is for, as chosen when a CSR is uploaded to the directory.
///
/// Why the kind, not the CSR, decides the extensions: a directory signs what it is asked to sign
/// only within the profile of the slot the CSR was uploaded to. A CSR's requested extensions are
/// advisory (RFC 2986 §4.1 attributes), so a "signing" CSR cannot obtain clientAuth.
public enum CertificateKind: String, Sendable, Hashable, CaseIterable {
    /// A transport (MTLS client) certificate: EKU clientAuth only (``CertificateProfile/tlsClient``).
    case transport
    /// A JWS signing certificate: digitalSignature + nonRepudiation, no EKU
    /// (``CertificateProfile/signing``).
    case signing

    /// The profile the sandbox issuing CA signs this kind with.
    public var profile: CertificateProfile {
        switch self {
        case .transport: .tlsClient
        case .signing: .signing
        }
    }

    /// The JWK `use` under which a certificate of this kind is published in a software JWKS
    /// (`tls` for transport, `sig` for signing), as the Open Banking keystore does.
    public var keyUse: PublishedCertificate.Use {
        switch self {
        case .transport: .tls
        case .signing: .sig
        }
    }
}
