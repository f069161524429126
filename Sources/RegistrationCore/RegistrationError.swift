/// A registration refusal: one of the four RFC 7591 §3.2.2 / OB DCR error codes and a description
/// naming the claim and the rule (open-banking.md §4).
///
/// Rendered as the whole 400 body, `{"error": …, "error_description": …}` and nothing else. The
/// description only echoes what the client sent (claim names and values, its own certificate
/// subject), never keys, signatures or upstream errors.
public struct RegistrationError: Error, Sendable, Hashable {
    /// The `error` member.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A redirect URI is missing, malformed, not https, loopback or not in the SSA.
        case invalidRedirectURI = "invalid_redirect_uri"
        /// The request JWT or one of its claims is wrong: signature, iss, aud, iat, exp, jti,
        /// auth method, DN, grant/response types, scope, presented certificate.
        case invalidClientMetadata = "invalid_client_metadata"
        /// The SSA is not a valid signed statement: not a JWS, bad alg or signature, unknown kid
        /// or directory, too old, missing or mistyped claims.
        case invalidSoftwareStatement = "invalid_software_statement"
        /// A valid SSA the bank does not accept (organisation not Active, …).
        case unapprovedSoftwareStatement = "unapproved_software_statement"
    }

    /// The `error` code.
    public let code: Code
    /// The `error_description`.
    public let errorDescription: String
    /// The claim the rule is about, when there is one (for logs and tests).
    public let claim: String?

    /// An error with a code, a description and optionally the claim concerned.
    public init(_ code: Code, _ errorDescription: String, claim: String? = nil) {
        self.code = code
        self.errorDescription = errorDescription
        self.claim = claim
    }

    /// The 400 body: exactly `error` and `error_description`.
    public var json: [String: JSONValue] {
        ["error": .string(self.code.rawValue), "error_description": .string(self.errorDescription)]
    }

    /// A failure to parse or verify the *request* JWT: `invalid_client_metadata` (open-banking.md
    /// §4: unsigned, wrong alg, bad signature, unknown `kid`).
    public static func requestJWS(_ error: JOSEError) -> RegistrationError {
        RegistrationError(.invalidClientMetadata, "request JWT: \(error.description)")
    }

    /// A failure to parse or verify the *software statement*: `invalid_software_statement`
    /// (open-banking.md §4: not a JWS, `alg: none`, bad signature, unknown `kid`).
    public static func softwareStatementJWS(_ error: JOSEError) -> RegistrationError {
        RegistrationError(
            .invalidSoftwareStatement,
            "software_statement: \(error.description)",
            claim: "software_statement"
        )
    }
}

extension RegistrationError: CustomStringConvertible {
    /// `code: description`.
    public var description: String {
        "\(self.code.rawValue): \(self.errorDescription)"
    }
}
