/// Why a certificate signing request could not be made, read or signed.
public enum CSRError: Error, Sendable, Hashable {
    /// The text is not one PEM `CERTIFICATE REQUEST` (PKCS#10, RFC 2986).
    case notACertificateRequest(reason: String)
    /// The CSR's signature does not verify with its own public key (RFC 2986 §3: proof of
    /// possession), or uses an algorithm we do not accept.
    case invalidSignature
    /// The subject does not have an Open Banking shape; the reason names the rule.
    case invalidSubject(String)
    /// The public key is not acceptable (Open Banking: RSA, at least 2048 bits).
    case unsupportedKey(String)
    /// The DN's ids cannot name a software (for example an OBWAC CSR without a software id).
    case missingSoftwareID

    /// A stable code for tests and logs.
    public var code: String {
        switch self {
        case .notACertificateRequest: "not_a_certificate_request"
        case .invalidSignature: "invalid_signature"
        case .invalidSubject: "invalid_subject"
        case .unsupportedKey: "unsupported_key"
        case .missingSoftwareID: "missing_software_id"
        }
    }
}

extension CSRError: CustomStringConvertible {
    /// One sentence for the command line.
    public var description: String {
        switch self {
        case .notACertificateRequest(let reason):
            "The file is not a PEM certificate signing request (BEGIN CERTIFICATE REQUEST): \(reason)."
        case .invalidSignature:
            "The CSR's signature does not verify with its own public key: it was altered or made with another key."
        case .invalidSubject(let reason):
            "The CSR's subject is not an Open Banking subject: \(reason)."
        case .unsupportedKey(let reason):
            "The CSR's key is not accepted: \(reason)."
        case .missingSoftwareID:
            "An OBWAC/OBSeal CSR names only the organisation: pass --software-id to say which software publishes it."
        }
    }
}
