import Hummingbird
import Logging

/// Turns every failure into a JSON error response.
///
/// ``EndpointError`` renders itself; Hummingbird's own errors (404 for unknown paths, 405, a body
/// too large) keep their status with a JSON body; a ``ClientStoreError`` that escaped a handler is
/// a 503; anything else is logged and answered 500 `server_error` without details
/// (code-style.md, anti-pattern 5: no error text reaches the client).
struct EndpointErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as EndpointError {
            return error.response()
        } catch let error as ClientStoreError {
            context.logger.error("client store failure", metadata: ["code": "\(error.code.rawValue)"])
            return EndpointError.unavailable.response()
        } catch let error as HTTPError {
            return Self.translate(error).response()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return EndpointError.serverError.response()
        }
    }

    private static func translate(_ error: HTTPError) -> EndpointError {
        switch error.status {
        case .notFound:
            return .notFound
        case .methodNotAllowed:
            return EndpointError(status: .methodNotAllowed, code: "invalid_request", description: "method not allowed")
        case .contentTooLarge:
            return EndpointError(
                status: .contentTooLarge,
                code: "invalid_request",
                description: "the request body is too large"
            )
        case let status where status.code >= 500:
            return .serverError
        case let status:
            return EndpointError(status: status, code: "invalid_request", description: "the request was refused")
        }
    }
}
