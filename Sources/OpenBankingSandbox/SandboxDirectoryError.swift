/// Why the sandbox directory could not do what was asked.
public enum SandboxDirectoryError: Error, Sendable, Hashable {
    /// A key that is neither RSA nor P-256 (JWKS and JWS here support only those).
    case unsupportedKey
    /// An org or software id that is not 1–64 characters of `A–Z a–z 0–9 . _ -`.
    case invalidID(name: String, value: String)
    /// An SSA request value that is not acceptable; the reason names it.
    case invalidSoftwareStatementRequest(String)
    /// Signing the SSA failed.
    case signingFailed
    /// A file of the directory store could not be read or written.
    case file(path: String, reason: String)

    /// A stable code for tests and logs.
    public var code: String {
        switch self {
        case .unsupportedKey: "unsupported_key"
        case .invalidID: "invalid_id"
        case .invalidSoftwareStatementRequest: "invalid_ssa_request"
        case .signingFailed: "signing_failed"
        case .file: "file"
        }
    }
}

extension SandboxDirectoryError: CustomStringConvertible {
    /// One sentence for the command line.
    public var description: String {
        switch self {
        case .unsupportedKey:
            "The key is neither RSA nor P-256, so it cannot be published in a JWKS or sign a JWS here."
        case .invalidID(let name, let value):
            "The \(name) '\(value)' is not valid: use 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'."
        case .invalidSoftwareStatementRequest(let reason):
            "The software statement cannot be issued: \(reason)."
        case .signingFailed:
            "Signing the software statement with the directory key failed."
        case .file(let path, let reason):
            "The directory file \(path) is not usable: \(reason)."
        }
    }
}
