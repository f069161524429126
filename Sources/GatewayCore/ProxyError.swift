/// Where a proxy failure came from; the source decides the family of the status (4xx, 502/503/504, 500).
public enum ProxyErrorSource: String, Sendable, Hashable {
    /// The downstream client sent something we refuse.
    case downstream
    /// The upstream failed or misbehaved.
    case upstream
    /// A bug or resource problem of our own.
    case `internal`
}

/// A failure the gateway answers itself, with a stable code (the README lists every one).
///
/// Why stable codes: operators alert and search on them, clients branch on them; texts from the
/// upstream or from TLS libraries never reach the client (they can leak topology and versions).
public enum ProxyErrorKind: String, Sendable, Hashable, CaseIterable {
    case malformedRequest = "malformed_request"
    case invalidPath = "invalid_path"
    case missingHost = "missing_host"
    case invalidHeader = "invalid_header"
    case headersTooLarge = "request_headers_too_large"
    case bodyTooLarge = "request_body_too_large"
    case requestTimeout = "request_timeout"
    case routeNotFound = "route_not_found"
    case methodNotAllowed = "method_not_allowed"
    case misdirectedRequest = "misdirected_request"
    case clientCertificateRequired = "client_certificate_required"
    case unsupportedExpectation = "expectation_failed"
    case upstreamConnectFailed = "upstream_connect_failed"
    case upstreamReset = "upstream_reset"
    case upstreamTimeout = "upstream_timeout"
    case upstreamConnectTimeout = "upstream_connect_timeout"
    case upstreamBadResponse = "upstream_bad_response"
    case noHealthyUpstream = "no_healthy_upstream"
    case draining = "draining"
    case internalError = "internal_error"

    /// Who is to blame for this kind of failure.
    public var source: ProxyErrorSource {
        switch self {
        case .malformedRequest, .invalidPath, .missingHost, .invalidHeader, .headersTooLarge,
            .bodyTooLarge, .requestTimeout, .routeNotFound, .methodNotAllowed, .misdirectedRequest,
            .clientCertificateRequired, .unsupportedExpectation:
            return .downstream
        case .upstreamConnectFailed, .upstreamReset, .upstreamTimeout, .upstreamConnectTimeout,
            .upstreamBadResponse, .noHealthyUpstream, .draining:
            return .upstream
        case .internalError:
            return .internal
        }
    }

    /// The HTTP status the client gets (RFC 9110 §15; 431 from RFC 6585 §5; 421 from RFC 9110 §15.5.20).
    public var status: Int {
        switch self {
        case .malformedRequest, .invalidPath, .missingHost, .invalidHeader, .clientCertificateRequired:
            return 400
        case .routeNotFound: return 404
        case .methodNotAllowed: return 405
        case .requestTimeout: return 408
        case .bodyTooLarge: return 413
        case .unsupportedExpectation: return 417
        case .misdirectedRequest: return 421
        case .headersTooLarge: return 431
        case .upstreamConnectFailed, .upstreamReset, .upstreamBadResponse: return 502
        case .noHealthyUpstream, .draining: return 503
        case .upstreamTimeout, .upstreamConnectTimeout: return 504
        case .internalError: return 500
        }
    }

    /// The small JSON body every gateway-made error carries: `{"error":"<code>","request_id":"…"}`.
    public func jsonBody(requestID: String) -> String {
        // Both values are our own tokens (codes are constants, request IDs are validated), so no
        // escaping is needed; RequestID.isWellFormed guarantees no quote or backslash.
        "{\"error\":\"\(self.rawValue)\",\"request_id\":\"\(requestID)\"}"
    }
}
