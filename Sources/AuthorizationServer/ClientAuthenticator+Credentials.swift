import RegistrationCore

/// How a client authenticated at the token endpoint, read from the request before any lookup.
///
/// Rules: exactly one method per request (RFC 6749 §2.3: "MUST NOT use more than one
/// authentication method in each request"); a `client_id` form parameter, when present, must name
/// the same client as the credentials.
enum ClientCredentials: Sendable, Hashable {
    /// `client_secret_basic` (RFC 6749 §2.3.1).
    case secretBasic(clientID: String, secret: String)
    /// `client_secret_post` (RFC 6749 §2.3.1).
    case secretPost(clientID: String, secret: String)
    /// `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9): the assertion, not yet verified.
    case assertion(clientIDParameter: String?, assertion: String)
    /// `tls_client_auth` (RFC 8705 §2.1): only `client_id`; the certificate proves the rest.
    case certificate(clientID: String)

    /// RFC 7521 §4.2 `client_assertion_type` of a JWT assertion.
    static let jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// The authentication method these credentials use.
    var method: TokenEndpointAuthMethod {
        switch self {
        case .secretBasic: return .clientSecretBasic
        case .secretPost: return .clientSecretPost
        case .assertion: return .privateKeyJWT
        case .certificate: return .tlsClientAuth
        }
    }

    /// Reads the credentials of a token request.
    ///
    /// - Throws: `invalid_request` (400) for several methods at once or a malformed one,
    ///   `invalid_client` (401) when none is present.
    static func extract(form: FormParameters, authorization: HTTPAuthorization?) throws(EndpointError)
        -> ClientCredentials
    {
        let formClientID = form["client_id"]
        var found: [ClientCredentials] = []
        switch authorization {
        case .basic(let user, let password)?:
            guard let clientID = HTTPAuthorization.formDecoded(user),
                let secret = HTTPAuthorization.formDecoded(password),
                !clientID.isEmpty
            else {
                throw .invalidRequest("the Basic credentials are not form-urlencoded (RFC 6749 §2.3.1)")
            }
            found.append(.secretBasic(clientID: clientID, secret: secret))
        case .bearer?:
            throw .invalidClient("a Bearer token does not authenticate a client at the token endpoint")
        case nil:
            break
        }
        if let secret = form["client_secret"] {
            guard let clientID = formClientID else {
                throw .invalidRequest("client_secret without client_id")
            }
            found.append(.secretPost(clientID: clientID, secret: secret))
        }
        if form["client_assertion"] != nil || form["client_assertion_type"] != nil {
            guard form["client_assertion_type"] == Self.jwtBearerAssertionType, let assertion = form["client_assertion"]
            else {
                throw .invalidRequest(
                    "client_assertion_type must be \(Self.jwtBearerAssertionType) with a client_assertion"
                )
            }
            found.append(.assertion(clientIDParameter: formClientID, assertion: assertion))
        }
        guard found.count <= 1 else {
            throw .invalidRequest("more than one client authentication method in one request")
        }
        if let credentials = found.first {
            if case .secretBasic(let clientID, _) = credentials, let formClientID, formClientID != clientID {
                throw .invalidRequest("client_id does not match the Basic credentials")
            }
            return credentials
        }
        guard let formClientID else {
            throw .invalidClient("client authentication is required (client_id, or a client secret or assertion)")
        }
        return .certificate(clientID: formClientID)
    }
}
