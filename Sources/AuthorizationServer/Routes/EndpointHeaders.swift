import Foundation
import HTTPTypes

/// Header names and values the endpoints set, in one place (code-style.md: "Header names are
/// constants in one place").
enum EndpointHeaders {
    /// `application/json` (every response body).
    static let json = "application/json"
    /// `no-store`: registration responses, token responses and errors carry credentials or
    /// client data (RFC 6749 §5.1, OB DCR: `Cache-Control: no-store`).
    static let noStore = "no-store"
    /// `Pragma` (RFC 6749 §5.1 still asks for `Pragma: no-cache` for HTTP/1.0 caches).
    static let pragma = HTTPField.Name("Pragma")
    /// `no-cache`.
    static let noCache = "no-cache"
    /// The realm of every `WWW-Authenticate` challenge.
    static let realm = "authorization-server"

    /// Media types accepted at `/register` (open-banking.md §4: both occur in the wild).
    static let registrationMediaTypes: Set<String> = ["application/jwt", "application/jose"]
    /// The media type of `/token` and `/introspect` bodies (RFC 6749 §4.4.2, RFC 7662 §2.1).
    static let formMediaType = "application/x-www-form-urlencoded"

    /// The media type of a `Content-Type` value: lower-cased, parameters (`; charset=…`) dropped.
    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = type.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }
}
