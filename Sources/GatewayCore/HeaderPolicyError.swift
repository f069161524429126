/// Why ``HeaderPolicy`` refused a request (the caller answers 400) or an upstream response
/// (502).
public enum HeaderPolicyError: Error, Sendable, Equatable {
    /// A header (or trailer) value contains a control character other than HTAB, or DEL
    /// (RFC 9110 §5.5: never valid; forwarding CR, LF or NUL would allow request splitting or
    /// header injection upstream).
    case invalidHeaderValue(name: String)
}
