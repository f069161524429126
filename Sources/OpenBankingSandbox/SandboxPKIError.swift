/// Everything that can go wrong while generating, writing or loading the sandbox PKI.
///
/// Each case has a stable `code` (for tests and logs) and a one-sentence `description` that is safe
/// to show a user: it names files and options, never key material.
public enum SandboxPKIError: Error, Hashable, Sendable {
    /// An RSA key size below 2048 bits (or not a whole number of bytes) was requested.
    case unsupportedKeySize(bits: Int)
    /// A private key type the sandbox cannot serialise as PKCS#8 (only RSA and P-256 are used).
    case unsupportedPrivateKey(description: String)
    /// A private key was paired with a certificate whose public key is different.
    case keyDoesNotMatchCertificate(subject: String)
    /// A server name is neither a usable DNS name nor an IPv4/IPv6 address.
    case invalidServerName(String)
    /// An option value is unusable, e.g. an empty org id.
    case invalidOption(name: String, reason: String)
    /// A file that `SandboxPKI.load(from:)` needs is not there.
    case missingFile(path: String)
    /// A file exists but does not hold what it should.
    case malformedFile(path: String, reason: String)
    /// Writing a file or creating a directory failed; `reason` is the system's explanation.
    case writeFailed(path: String, reason: String)

    /// A stable identifier for the kind of failure.
    public var code: String {
        switch self {
        case .unsupportedKeySize: "unsupported_key_size"
        case .unsupportedPrivateKey: "unsupported_private_key"
        case .keyDoesNotMatchCertificate: "key_does_not_match_certificate"
        case .invalidServerName: "invalid_server_name"
        case .invalidOption: "invalid_option"
        case .missingFile: "missing_file"
        case .malformedFile: "malformed_file"
        case .writeFailed: "write_failed"
        }
    }
}

extension SandboxPKIError: CustomStringConvertible {
    /// A one-sentence explanation suitable for a command-line error message.
    public var description: String {
        switch self {
        case .unsupportedKeySize(let bits):
            "RSA keys must be at least 2048 bits and a multiple of 8, not \(bits)."
        case .unsupportedPrivateKey(let description):
            "The private key \(description) cannot be written as PKCS#8."
        case .keyDoesNotMatchCertificate(let subject):
            "The private key does not belong to the certificate \(subject)."
        case .invalidServerName(let name):
            "\"\(name)\" is neither a DNS name nor an IP address."
        case .invalidOption(let name, let reason):
            "Invalid \(name): \(reason)."
        case .missingFile(let path):
            "The file \(path) does not exist."
        case .malformedFile(let path, let reason):
            "The file \(path) is not usable: \(reason)."
        case .writeFailed(let path, let reason):
            "Could not write \(path): \(reason)."
        }
    }
}
