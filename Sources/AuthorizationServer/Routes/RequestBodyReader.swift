import Hummingbird

/// Reads a request body within the configured limit (`[server] max_body_size`, 64 KiB by default).
///
/// Why not `collect(upTo:)` alone: the limit must produce the endpoint's JSON 413 before anything
/// is buffered when `Content-Length` already says too much, and a body that ends early must be a
/// 400, not a 500.
enum RequestBodyReader {
    /// The body bytes.
    ///
    /// - Parameter errorCode: the `error` of the 413 (`invalid_client_metadata` at `/register`,
    ///   `invalid_request` elsewhere).
    static func read(_ request: Request, limit: Int, errorCode: String) async throws(EndpointError) -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw .tooLarge(limit: limit, code: errorCode)
        }
        var bytes: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard bytes.count + chunk.readableBytes <= limit else {
                    throw EndpointError.tooLarge(limit: limit, code: errorCode)
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as EndpointError {
            throw error
        } catch {
            throw .invalidRequest("the request body could not be read")
        }
        return bytes
    }

    /// Checks that the request's media type is one of `accepted` (parameters such as `charset`
    /// ignored, case-insensitive), else a 415 with `errorCode`.
    static func requireMediaType(
        _ request: Request,
        _ accepted: Set<String>,
        errorCode: String
    ) throws(EndpointError) {
        let contentTypes = request.headers[values: .contentType]
        guard contentTypes.count == 1, let mediaType = EndpointHeaders.mediaType(contentTypes.first),
            accepted.contains(mediaType)
        else {
            throw .unsupportedMediaType(
                "Content-Type must be \(accepted.sorted().joined(separator: " or "))",
                code: errorCode
            )
        }
    }
}
