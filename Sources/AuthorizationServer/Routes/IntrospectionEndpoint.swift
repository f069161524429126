import Foundation
import Hummingbird
import RegistrationCore

/// `POST /introspect` (RFC 7662) for resource servers, authenticated with HTTP Basic against
/// `[introspection] credentials` (RFC 7662 §2.1: the endpoint must not let anyone probe tokens).
///
/// A token is active only when it is one of ours (signature, issuer), unexpired, still recorded
/// and unrevoked in the store, and its client still exists; anything else, including garbage and
/// registration access tokens, is `{"active": false}` (RFC 7662 §2.2: no reason is given).
struct IntrospectionEndpoint: Sendable {
    let dependencies: EndpointDependencies

    /// Handles one request.
    func handle(_ request: Request, context: some RemoteAddressRequestContext) async throws -> Response {
        guard case .basic(let user, let password)? = try? HTTPAuthorization.parse(request.headers),
            let credential = self.dependencies.introspectionCredentials.first(where: { $0.name == user }),
            credential.matches(secret: password)
        else {
            throw EndpointError.invalidClient("resource server authentication with HTTP Basic is required")
        }
        try TokenEndpoint.requireForm(request)
        let body = try await RequestBodyReader.read(
            request,
            limit: self.dependencies.settings.maxBodySize,
            errorCode: "invalid_request"
        )
        let form = try FormParameters(parsing: body)
        guard let token = form["token"] else {
            throw EndpointError.invalidRequest("parameter 'token' is required")
        }
        let answer = try await self.introspect(token, context: context)
        return EndpointResponse.json(answer)
    }

    private func introspect(_ token: String, context: some RequestContext) async throws(EndpointError) -> JSONValue {
        let inactive: JSONValue = ["active": false]
        guard let claims = self.dependencies.tokenIssuer.verify(token, now: self.dependencies.clock()) else {
            return inactive
        }
        let store = self.dependencies.store
        let active = try await withStore(context.logger) { () async throws(ClientStoreError) -> IssuedToken? in
            try await store.activeToken(jti: claims.jwtID)
        }
        guard active != nil else { return inactive }
        let client = try await withStore(context.logger) { () async throws(ClientStoreError) -> RegisteredClient? in
            try await store.client(id: claims.clientID)
        }
        guard client != nil else { return inactive }
        return [
            "active": true,
            "scope": .string(claims.scope),
            "client_id": .string(claims.clientID),
            "sub": .string(claims.clientID),
            "token_type": "Bearer",
            "iss": .string(self.dependencies.tokenIssuer.issuer),
            "iat": .integer(claims.issuedAt),
            "exp": .integer(claims.expiresAt),
            "jti": .string(claims.jwtID),
            "cnf": ["x5t#S256": .string(claims.certificateThumbprint)],
        ]
    }
}
