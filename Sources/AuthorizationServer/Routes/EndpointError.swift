import Hummingbird
import Logging
import RegistrationCore

/// Every refusal the endpoints send: a status, an OAuth `error` code, an `error_description`, and
/// the headers the RFCs require with it.
///
/// The body is always `{"error": …, "error_description": …}` and nothing else (RFC 6749 §5.2,
/// RFC 7591 §3.2.2, open-banking.md §4), with `Cache-Control: no-store`. Descriptions name the
/// rule that failed; they never contain tokens, secrets, key material, SQL or a remote server's
/// error text (code-style.md, anti-pattern 5).
struct EndpointError: Error, Sendable, Hashable, HTTPResponseError {
    /// The HTTP status.
    let status: HTTPResponse.Status
    /// The `error` member.
    let code: String
    /// The `error_description` member.
    let errorDescription: String
    /// The `WWW-Authenticate` value of a 401.
    let challenge: String?
    /// `Retry-After` seconds of a 503.
    let retryAfter: Int?

    /// An error with every part given.
    init(
        status: HTTPResponse.Status,
        code: String,
        description: String,
        challenge: String? = nil,
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.errorDescription = description
        self.challenge = challenge
        self.retryAfter = retryAfter
    }

    /// The response.
    func response(from request: Request, context: some RequestContext) -> Response {
        self.response()
    }

    /// The response, without a request.
    func response() -> Response {
        var headers: HTTPFields = [:]
        if let challenge = self.challenge {
            headers[.wwwAuthenticate] = challenge
        }
        if let retryAfter = self.retryAfter {
            headers[.retryAfter] = String(retryAfter)
        }
        let body: JSONValue = ["error": .string(self.code), "error_description": .string(self.errorDescription)]
        return EndpointResponse.json(body, status: self.status, headers: headers)
    }
}

extension EndpointError {
    /// 400 with one of the four RFC 7591 registration codes.
    static func registration(_ error: RegistrationError) -> EndpointError {
        EndpointError(status: .badRequest, code: error.code.rawValue, description: error.errorDescription)
    }

    /// 400 `invalid_request` (RFC 6749 §5.2): a missing, repeated or malformed parameter.
    static func invalidRequest(_ description: String) -> EndpointError {
        EndpointError(status: .badRequest, code: "invalid_request", description: description)
    }

    /// 401 `invalid_client` (RFC 6749 §5.2) with a challenge: client authentication failed, or no
    /// trusted client certificate was presented.
    static func invalidClient(_ description: String, scheme: String = "Basic") -> EndpointError {
        EndpointError(
            status: .unauthorized,
            code: "invalid_client",
            description: description,
            challenge: "\(scheme) realm=\"\(EndpointHeaders.realm)\""
        )
    }

    /// 401 `invalid_token` (RFC 6750 §3.1) with a Bearer challenge naming the error.
    static func invalidToken(_ description: String) -> EndpointError {
        EndpointError(
            status: .unauthorized,
            code: "invalid_token",
            description: description,
            challenge: "Bearer realm=\"\(EndpointHeaders.realm)\", error=\"invalid_token\""
        )
    }

    /// 403: a valid token of another client (RFC 7592 §2: the client may only manage itself).
    static func forbidden(_ description: String) -> EndpointError {
        EndpointError(status: .forbidden, code: "access_denied", description: description)
    }

    /// 400 `unsupported_grant_type` (RFC 6749 §5.2).
    static func unsupportedGrantType(_ description: String) -> EndpointError {
        EndpointError(status: .badRequest, code: "unsupported_grant_type", description: description)
    }

    /// 400 `invalid_scope` (RFC 6749 §5.2).
    static func invalidScope(_ description: String) -> EndpointError {
        EndpointError(status: .badRequest, code: "invalid_scope", description: description)
    }

    /// 400 `unauthorized_client` (RFC 6749 §5.2): the client did not register this grant type.
    static func unauthorizedClient(_ description: String) -> EndpointError {
        EndpointError(status: .badRequest, code: "unauthorized_client", description: description)
    }

    /// 415 with the endpoint's own error code.
    static func unsupportedMediaType(_ description: String, code: String) -> EndpointError {
        EndpointError(status: .unsupportedMediaType, code: code, description: description)
    }

    /// 413 with the endpoint's own error code.
    static func tooLarge(limit: Int, code: String) -> EndpointError {
        EndpointError(
            status: .contentTooLarge,
            code: code,
            description: "the request body is larger than \(limit) bytes"
        )
    }

    /// 503 `temporarily_unavailable` (RFC 6749 §4.1.2.1): the client store failed. Never a 500,
    /// never a hang: the client may retry.
    static let unavailable = EndpointError(
        status: .serviceUnavailable,
        code: "temporarily_unavailable",
        description: "the server cannot store or read client data right now; retry later",
        retryAfter: 5
    )

    /// 404 for paths that are not endpoints.
    static let notFound = EndpointError(status: .notFound, code: "invalid_request", description: "no such endpoint")

    /// 500 `server_error`: a bug; the details are only logged.
    static let serverError = EndpointError(
        status: .internalServerError,
        code: "server_error",
        description: "the server failed to process the request"
    )
}

/// Runs one client-store operation, turning its failure into ``EndpointError/unavailable`` after
/// logging what happened (the underlying text may name hosts or SQL: logs only).
func withStore<Value>(
    _ logger: Logger,
    _ operation: () async throws(ClientStoreError) -> Value
) async throws(EndpointError) -> Value {
    do {
        return try await operation()
    } catch {
        logger.error(
            "client store failure",
            metadata: ["code": "\(error.code.rawValue)", "error": "\(error.underlying)"]
        )
        throw .unavailable
    }
}
