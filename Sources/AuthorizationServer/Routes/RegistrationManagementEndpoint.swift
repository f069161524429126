import Foundation
import Hummingbird
import MTLSIdentity
import RegistrationCore

/// `GET`, `PUT` and `DELETE /register/{client_id}` (RFC 7592 §2, OB DCR 3.3 read/update/delete),
/// each authorised by ``RegistrationAccessAuthorizer``.
struct RegistrationManagementEndpoint: Sendable {
    let dependencies: EndpointDependencies

    /// The route parameter holding the client id.
    static let parameter = "client_id"

    /// `GET`: 200 with the registered metadata (no secret: it is only returned once).
    func read(_ request: Request, context: some RemoteAddressRequestContext) async throws -> Response {
        let client = try await self.authorize(request, context: context)
        return EndpointResponse.json(
            self.body(client, credentials: .init(clientSecret: nil, registrationAccessToken: nil))
        )
    }

    /// `PUT`: a full new request JWT, validated like a registration; the `client_id` (and the
    /// registration access token) are kept. A `client_secret` is issued only when the client
    /// moves to a secret-based method without having one.
    func update(_ request: Request, context: some RemoteAddressRequestContext) async throws -> Response {
        let code = "invalid_client_metadata"
        // Authorise first: an unauthenticated caller learns nothing about body rules.
        let identity = await self.dependencies.identity(of: request, context: context).identity
        let existing = try await self.authorize(request, identity: identity, context: context)
        try RequestBodyReader.requireMediaType(request, EndpointHeaders.registrationMediaTypes, errorCode: code)
        let body = try await RequestBodyReader.read(
            request,
            limit: self.dependencies.settings.maxBodySize,
            errorCode: code
        )
        guard let identity else {
            throw EndpointError.invalidClient("a client certificate is required", scheme: "Bearer")
        }
        let now = self.dependencies.clock()
        let validated = try await self.dependencies.pipeline.validate(
            body: body,
            identity: identity,
            now: now,
            logger: context.logger
        )
        guard validated.softwareID == existing.softwareID else {
            throw EndpointError.registration(
                RegistrationError(
                    .invalidClientMetadata,
                    "software_statement: software_id '\(validated.softwareID)' is not the registered software",
                    claim: "software_id"
                )
            )
        }
        var secret: String?
        var secretHash: String?
        if validated.requiresClientSecret {
            if let existingHash = existing.clientSecretHash {
                secretHash = existingHash
            } else {
                secret = RandomToken.secret()
                secretHash = secret.map(RandomToken.sha256Hex)
            }
        }
        let updated = RegistrationRecord.client(
            validated,
            clientID: existing.clientID,
            issuedAt: existing.clientIDIssuedAt,
            updatedAt: Int64(now.timeIntervalSince1970.rounded(.down)),
            clientSecretHash: secretHash,
            registrationAccessTokenHash: existing.registrationAccessTokenHash,
            extendedMetadataNames: self.dependencies.settings.extendedMetadata
        )
        let stored = try await withStore(context.logger) { () async throws(ClientStoreError) -> Bool in
            try await self.dependencies.store.update(updated)
        }
        guard stored else {
            throw EndpointError.invalidToken("unknown client")
        }
        context.logger.info("client updated", metadata: ["client_id": "\(existing.clientID)"])
        return EndpointResponse.json(
            self.body(updated, credentials: .init(clientSecret: secret, registrationAccessToken: nil))
        )
    }

    /// `DELETE`: 204; the store revokes every token of the client.
    func delete(_ request: Request, context: some RemoteAddressRequestContext) async throws -> Response {
        let client = try await self.authorize(request, context: context)
        _ = try await withStore(context.logger) { () async throws(ClientStoreError) -> Bool in
            try await self.dependencies.store.delete(id: client.clientID)
        }
        context.logger.info("client deleted", metadata: ["client_id": "\(client.clientID)"])
        return EndpointResponse.empty(status: .noContent)
    }

    private func authorize(
        _ request: Request,
        context: some RemoteAddressRequestContext
    ) async throws(EndpointError) -> RegisteredClient {
        let identity = await self.dependencies.identity(of: request, context: context).identity
        return try await self.authorize(request, identity: identity, context: context)
    }

    private func authorize(
        _ request: Request,
        identity: ClientIdentity?,
        context: some RemoteAddressRequestContext
    ) async throws(EndpointError) -> RegisteredClient {
        guard let clientID = context.parameters.get(Self.parameter), !clientID.isEmpty else {
            throw .notFound
        }
        return try await RegistrationAccessAuthorizer(dependencies: self.dependencies).authorize(
            request,
            clientID: clientID,
            identity: identity,
            logger: context.logger
        )
    }

    private func body(_ client: RegisteredClient, credentials: RegistrationRecord.Credentials) -> JSONValue {
        RegistrationRecord.responseBody(
            client,
            credentials: credentials,
            registrationClientURI: self.dependencies.settings.registrationClientURI(client.clientID)
        )
    }
}
