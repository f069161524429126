import Hummingbird
import NIOCore
import RegistrationCore

/// Builds the JSON responses of every endpoint.
enum EndpointResponse {
    /// `body` serialised with sorted keys, `Content-Type: application/json`,
    /// `Cache-Control: no-store` and `Pragma: no-cache` unless `cacheable`.
    static func json(
        _ body: JSONValue,
        status: HTTPResponse.Status = .ok,
        headers extra: HTTPFields = [:],
        cacheable: Bool = false
    ) -> Response {
        var headers = extra
        headers[.contentType] = EndpointHeaders.json
        if !cacheable {
            headers[.cacheControl] = EndpointHeaders.noStore
            if let pragma = EndpointHeaders.pragma {
                headers[pragma] = EndpointHeaders.noCache
            }
        }
        let bytes = body.serializedBytes()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A bodiless response (`204 No Content` after a DELETE).
    static func empty(status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [:]
        headers[.cacheControl] = EndpointHeaders.noStore
        return Response(status: status, headers: headers)
    }
}
