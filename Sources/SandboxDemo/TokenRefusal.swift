/// Why the demo resource server refused a request: an RFC 6750 §3 error.
struct TokenRefusal: Error, Sendable, Hashable {
    /// 401 for a missing or bad token, 403 for one without the scope.
    let status: Int
    /// RFC 6750 §3.1: `invalid_request`, `invalid_token` or `insufficient_scope`; nil when no
    /// token was presented at all (RFC 6750 §3.1: then no error code is sent).
    let error: String?
    /// One sentence for the client (and the demo's output).
    let description: String

    static func invalidToken(_ description: String) -> TokenRefusal {
        TokenRefusal(status: 401, error: "invalid_token", description: description)
    }
}
