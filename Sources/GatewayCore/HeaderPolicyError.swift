/// Why ``HeaderPolicy`` refused a request (the caller answers 400).
public enum HeaderPolicyError: Error, Sendable, Equatable {
    /// A header value contains CR, LF or NUL (RFC 9110 §5.5: never valid; forwarding it would
    /// allow request splitting or header injection upstream).
    case invalidHeaderValue(name: String)
}
