import SQLKit

extension SQLClientStore {
    /// The columns of `clients`, in the order of ``clientValues(_:)``.
    static let clientColumns = [
        "client_id", "client_id_issued_at", "updated_at", "token_endpoint_auth_method", "tls_client_auth_subject_dn",
        "client_secret_hash", "registration_access_token_hash", "software_id", "org_id",
        "transport_certificate_thumbprint", "scope", "metadata_json", "software_statement",
        "software_statement_claims_json",
    ]

    /// A client's `clients` row values, matching ``clientColumns``.
    static func clientValues(_ client: RegisteredClient) -> [any Encodable & Sendable] {
        [
            client.clientID, client.clientIDIssuedAt, client.updatedAt, client.tokenEndpointAuthMethod,
            client.tlsClientAuthSubjectDN, client.clientSecretHash, client.registrationAccessTokenHash,
            client.softwareID, client.organisationID, client.transportCertificateThumbprint, client.scope,
            client.metadataJSON, client.softwareStatement, client.softwareStatementClaimsJSON,
        ]
    }

    /// A `clients` row and its `client_metadata` rows as a client.
    static func client(from row: any SQLRow, extendedMetadata: [String: String]) throws -> RegisteredClient {
        RegisteredClient(
            clientID: try row.decode(column: "client_id", as: String.self),
            clientIDIssuedAt: try row.decode(column: "client_id_issued_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self),
            tokenEndpointAuthMethod: try row.decode(column: "token_endpoint_auth_method", as: String.self),
            tlsClientAuthSubjectDN: try row.decode(column: "tls_client_auth_subject_dn", as: String?.self),
            clientSecretHash: try row.decode(column: "client_secret_hash", as: String?.self),
            registrationAccessTokenHash: try row.decode(column: "registration_access_token_hash", as: String.self),
            softwareID: try row.decode(column: "software_id", as: String.self),
            organisationID: try row.decode(column: "org_id", as: String.self),
            transportCertificateThumbprint: try row.decode(column: "transport_certificate_thumbprint", as: String.self),
            scope: try row.decode(column: "scope", as: String.self),
            metadataJSON: try row.decode(column: "metadata_json", as: String.self),
            softwareStatement: try row.decode(column: "software_statement", as: String.self),
            softwareStatementClaimsJSON: try row.decode(column: "software_statement_claims_json", as: String.self),
            extendedMetadata: extendedMetadata
        )
    }

    /// A `tokens` row as an issued token.
    static func token(from row: any SQLRow) throws -> IssuedToken {
        IssuedToken(
            jti: try row.decode(column: "jti", as: String.self),
            clientID: try row.decode(column: "client_id", as: String.self),
            scope: try row.decode(column: "scope", as: String.self),
            certificateThumbprint: try row.decode(column: "cnf", as: String.self),
            issuedAt: try row.decode(column: "issued_at", as: Int64.self),
            expiresAt: try row.decode(column: "expires_at", as: Int64.self)
        )
    }

    /// Writes a client's `client_metadata` rows (after its old ones were deleted).
    static func insertMetadata(_ client: RegisteredClient, into database: any SQLDatabase) async throws {
        for (name, value) in client.extendedMetadata.sorted(by: { $0.key < $1.key }) {
            try await database.raw(
                """
                INSERT INTO client_metadata (client_id, name, value)
                VALUES (\(bind: client.clientID), \(bind: name), \(bind: value))
                """
            ).run()
        }
    }

    /// The `client_metadata` of the clients whose ids are given (all clients when `nil`).
    static func metadata(
        forClient clientID: String?,
        in database: any SQLDatabase
    ) async throws -> [String: [String: String]] {
        let rows: [any SQLRow]
        if let clientID {
            rows = try await database.raw(
                "SELECT client_id, name, value FROM client_metadata WHERE client_id = \(bind: clientID)"
            ).all()
        } else {
            rows = try await database.raw("SELECT client_id, name, value FROM client_metadata").all()
        }
        var metadata: [String: [String: String]] = [:]
        for row in rows {
            let clientID = try row.decode(column: "client_id", as: String.self)
            metadata[clientID, default: [:]][try row.decode(column: "name", as: String.self)] =
                try row.decode(column: "value", as: String.self)
        }
        return metadata
    }
}
