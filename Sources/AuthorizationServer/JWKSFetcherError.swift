/// Why a JWKS could not be obtained.
///
/// The description is safe for an `error_description`: it names the category (timeout, status,
/// size, format) and never echoes the remote server's error text or body (code-style.md,
/// anti-pattern 5). Details go to the log.
enum JWKSFetcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The location is not an `https` URL (or a readable file for configured file sources).
    case invalidLocation
    /// Connecting or TLS failed (unknown host, refused, untrusted certificate, …).
    case unreachable
    /// No complete response within the fetch timeout.
    case timedOut
    /// The server answered with a status other than 200.
    case httpStatus(Int)
    /// The document is larger than the accepted maximum.
    case tooLarge(limit: Int)
    /// The document is not a JWKS (`{"keys": [...]}`).
    case invalidDocument(String)
    /// A configured JWKS file could not be read.
    case fileUnreadable

    /// One sentence for `error_description` (prefixed by the caller with which JWKS).
    var description: String {
        switch self {
        case .invalidLocation: return "is not an https URL"
        case .unreachable: return "could not be reached"
        case .timedOut: return "did not answer in time"
        case .httpStatus(let status): return "answered with HTTP status \(status)"
        case .tooLarge(let limit): return "is larger than \(limit) bytes"
        case .invalidDocument(let reason): return "is not a valid JWKS (\(reason))"
        case .fileUnreadable: return "could not be read"
        }
    }
}
