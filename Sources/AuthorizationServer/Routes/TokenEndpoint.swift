import Foundation
import Hummingbird
import RegistrationCore

/// `POST /token`: the `client_credentials` grant (RFC 6749 §4.4) with certificate-bound access
/// tokens (RFC 8705 §3).
///
/// Order: form body (`application/x-www-form-urlencoded`, ≤ `max_body_size`); a trusted client
/// certificate (every token is bound to one, so none means 401 `invalid_client`); `grant_type`;
/// client authentication with the registered method (``ClientAuthenticator``); the grant type
/// registered; `scope` ⊆ the registered scope (absent or empty → all of it). The token is recorded
/// in the store before it is returned, so it can be revoked and introspected.
struct TokenEndpoint: Sendable {
    let dependencies: EndpointDependencies

    /// The only grant this server issues.
    static let clientCredentials = "client_credentials"

    /// Handles one request.
    func handle(_ request: Request, context: some RemoteAddressRequestContext) async throws -> Response {
        let code = "invalid_request"
        try Self.requireForm(request)
        let body = try await RequestBodyReader.read(
            request,
            limit: self.dependencies.settings.maxBodySize,
            errorCode: code
        )
        let form = try FormParameters(parsing: body)
        guard let identity = await self.dependencies.identity(of: request, context: context).identity else {
            throw EndpointError.invalidClient(
                "a client certificate chaining to the Open Banking transport trust roots is required"
            )
        }
        guard let grantType = form["grant_type"] else {
            throw EndpointError.invalidRequest("parameter 'grant_type' is required")
        }
        guard grantType == Self.clientCredentials else {
            throw EndpointError.unsupportedGrantType("only grant_type=client_credentials is supported")
        }
        let credentials = try ClientCredentials.extract(
            form: form,
            authorization: try HTTPAuthorization.parse(request.headers)
        )
        let now = self.dependencies.clock()
        let client = try await self.dependencies.authenticator.authenticate(
            credentials,
            identity: identity,
            now: now,
            logger: context.logger
        )
        try Self.checkGrantType(client)
        let scope = try Self.grantedScope(requested: form["scope"], registered: client.scope)
        let token: AccessToken
        do {
            token = try self.dependencies.tokenIssuer.issue(
                clientID: client.clientID,
                scope: scope,
                certificateThumbprint: identity.thumbprintS256,
                now: now
            )
        } catch {
            context.logger.error("access token signing failed", metadata: ["error": "\(error)"])
            throw EndpointError.serverError
        }
        try await withStore(context.logger) { () async throws(ClientStoreError) in
            try await self.dependencies.store.recordToken(token.record)
        }
        context.logger.info(
            "access token issued",
            metadata: ["client_id": "\(client.clientID)", "jti": "\(token.record.jti)", "scope": "\(scope)"]
        )
        let body200: JSONValue = [
            "access_token": .string(token.value),
            "token_type": "Bearer",
            "expires_in": .integer(token.record.expiresAt - token.record.issuedAt),
            "scope": .string(scope),
        ]
        return EndpointResponse.json(body200)
    }

    /// RFC 6749 §4.4.2: the body is `application/x-www-form-urlencoded`.
    static func requireForm(_ request: Request) throws(EndpointError) {
        guard EndpointHeaders.mediaType(request.headers[.contentType]) == EndpointHeaders.formMediaType else {
            throw .invalidRequest("Content-Type must be \(EndpointHeaders.formMediaType)")
        }
    }

    /// The client must have registered `client_credentials` (RFC 7591 §2 `grant_types`).
    static func checkGrantType(_ client: RegisteredClient) throws(EndpointError) {
        let metadata = (try? JSONValue.parse(Array(client.metadataJSON.utf8), maximumLength: .max))?.objectValue
        guard let grantTypes = metadata?["grant_types"]?.arrayValue else { return }
        guard grantTypes.contains(.string(Self.clientCredentials)) else {
            throw .unauthorizedClient("the client did not register the client_credentials grant type")
        }
    }

    /// The scope to grant: the requested scopes in request order (duplicates dropped), all of
    /// them registered; the registered scope when none is requested (RFC 6749 §3.3 lets the server
    /// apply a default; OB clients send an empty `scope=`).
    static func grantedScope(requested: String?, registered: String) throws(EndpointError) -> String {
        let registeredScopes = Set(registered.split(separator: " ").map(String.init))
        guard let requested else { return registered }
        var granted: [String] = []
        for scope in requested.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        where !granted.contains(scope) {
            guard registeredScopes.contains(scope) else {
                throw .invalidScope("scope '\(scope)' is not registered for this client")
            }
            granted.append(scope)
        }
        return granted.isEmpty ? registered : granted.joined(separator: " ")
    }
}
