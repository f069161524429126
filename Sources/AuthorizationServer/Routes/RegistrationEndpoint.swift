import Foundation
import Hummingbird

/// `POST /register` (RFC 7591 §3, OB DCR 3.3 "create").
///
/// Content type `application/jwt` or `application/jose` (else 415), body ≤ `max_body_size` (else
/// 413), a client certificate chaining to the transport trust roots (else 400
/// `invalid_client_metadata`: OB answers registration failures with 400, never 401), then the
/// whole ``RegistrationPipeline``. The 201 is sent only after the store committed the client; the
/// `client_secret` (secret methods only) and the `registration_access_token` appear in it once
/// and are stored as SHA-256.
struct RegistrationEndpoint: Sendable {
    let dependencies: EndpointDependencies

    /// Handles one request.
    func handle(_ request: Request, context: some RemoteAddressRequestContext) async throws -> Response {
        let code = "invalid_client_metadata"
        try RequestBodyReader.requireMediaType(request, EndpointHeaders.registrationMediaTypes, errorCode: code)
        let body = try await RequestBodyReader.read(
            request,
            limit: self.dependencies.settings.maxBodySize,
            errorCode: code
        )
        let identity = await self.dependencies.identity(of: request, context: context)
        guard let identity = identity.identity else {
            throw EndpointError(
                status: .badRequest,
                code: code,
                description: "a client certificate chaining to the Open Banking transport trust roots is required"
            )
        }
        let now = self.dependencies.clock()
        let validated = try await self.dependencies.pipeline.validate(
            body: body,
            identity: identity,
            now: now,
            logger: context.logger
        )
        let clientID = RandomToken.clientID()
        let secret = validated.requiresClientSecret ? RandomToken.secret() : nil
        let registrationAccessToken = RandomToken.secret()
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let client = RegistrationRecord.client(
            validated,
            clientID: clientID,
            issuedAt: issuedAt,
            updatedAt: issuedAt,
            clientSecretHash: secret.map(RandomToken.sha256Hex),
            registrationAccessTokenHash: RandomToken.sha256Hex(registrationAccessToken),
            extendedMetadataNames: self.dependencies.settings.extendedMetadata
        )
        try await withStore(context.logger) { () async throws(ClientStoreError) in
            try await self.dependencies.store.insert(client)
        }
        context.logger.info(
            "client registered",
            metadata: [
                "client_id": "\(clientID)", "software_id": "\(client.softwareID)", "org_id": "\(client.organisationID)",
                "method": "\(client.tokenEndpointAuthMethod)",
            ]
        )
        let body201 = RegistrationRecord.responseBody(
            client,
            credentials: .init(clientSecret: secret, registrationAccessToken: registrationAccessToken),
            registrationClientURI: self.dependencies.settings.registrationClientURI(clientID)
        )
        return EndpointResponse.json(body201, status: .created)
    }
}
