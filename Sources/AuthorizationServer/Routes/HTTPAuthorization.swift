import Foundation
import Hummingbird

/// The credentials of an `Authorization` header.
enum HTTPAuthorization: Sendable, Hashable {
    /// `Basic` (RFC 7617): the user id and password exactly as encoded in the header.
    case basic(user: String, password: String)
    /// `Bearer` (RFC 6750 §2.1): the token.
    case bearer(String)

    /// The `Authorization` credentials of `headers`, `nil` when there is no such header.
    ///
    /// - Throws: `invalid_request` for a repeated header, an unknown scheme or malformed
    ///   credentials (RFC 6750 §3.1).
    static func parse(_ headers: HTTPFields) throws(EndpointError) -> HTTPAuthorization? {
        let values = headers[values: .authorization]
        guard let value = values.first else { return nil }
        guard values.count == 1 else {
            throw .invalidRequest("the Authorization header is repeated")
        }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else {
            throw .invalidRequest("the Authorization header has no credentials")
        }
        let credentials = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "basic":
            guard let data = Data(base64Encoded: credentials),
                let decoded = String(data: data, encoding: .utf8),
                let colon = decoded.firstIndex(of: ":")
            else {
                throw .invalidRequest("the Basic credentials are not base64 of 'id:secret'")
            }
            return .basic(user: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
        case "bearer":
            guard !credentials.isEmpty, !credentials.contains(" ") else {
                throw .invalidRequest("the Bearer token is malformed")
            }
            return .bearer(credentials)
        default:
            throw .invalidRequest("unsupported Authorization scheme")
        }
    }

    /// RFC 6749 §2.3.1: the client id and secret in `client_secret_basic` are form-urlencoded
    /// before being put in the Basic credentials; this undoes that encoding.
    static func formDecoded(_ text: String) -> String? {
        FormParameters.decode(Array(text.utf8))
    }
}
