import Foundation
import RegistrationCore

/// Builds the stored ``RegisteredClient`` and the response bodies of the registration endpoints.
enum RegistrationRecord {
    /// The credentials issued with a registration; returned once, stored only as SHA-256.
    struct Credentials: Sendable {
        /// The `client_secret`, for secret-based authentication methods only.
        let clientSecret: String?
        /// The RFC 7592 `registration_access_token`, `nil` when an update keeps the existing one.
        let registrationAccessToken: String?
    }

    /// The stored client for `validated`.
    static func client(
        _ validated: ValidatedRegistration,
        clientID: String,
        issuedAt: Int64,
        updatedAt: Int64,
        clientSecretHash: String?,
        registrationAccessTokenHash: String,
        extendedMetadataNames: [String]
    ) -> RegisteredClient {
        let metadata = RegistrationResponse.json(
            for: validated,
            clientID: clientID,
            clientIDIssuedAt: Date(timeIntervalSince1970: TimeInterval(issuedAt)),
            clientSecret: nil,
            registrationAccessToken: nil,
            registrationClientURI: nil
        )
        return RegisteredClient(
            clientID: clientID,
            clientIDIssuedAt: issuedAt,
            updatedAt: updatedAt,
            tokenEndpointAuthMethod: validated.tokenEndpointAuthMethod.rawValue,
            tlsClientAuthSubjectDN: validated.tlsClientAuthSubjectDN,
            clientSecretHash: clientSecretHash,
            registrationAccessTokenHash: registrationAccessTokenHash,
            softwareID: validated.softwareID,
            organisationID: validated.organisationID,
            transportCertificateThumbprint: validated.transportCertificateThumbprint,
            scope: validated.scope,
            metadataJSON: JSONValue.object(metadata).serialized(),
            softwareStatement: validated.softwareStatement,
            softwareStatementClaimsJSON: JSONValue.object(validated.softwareStatementClaims.claims).serialized(),
            extendedMetadata: Self.extendedMetadata(
                validated.softwareStatementClaims.claims,
                names: extendedMetadataNames
            )
        )
    }

    /// The configured `extended_metadata` SSA claims as strings: arrays of strings joined by
    /// spaces, numbers and booleans as text, objects as JSON; absent and `null` claims left out.
    static func extendedMetadata(_ claims: [String: JSONValue], names: [String]) -> [String: String] {
        var metadata: [String: String] = [:]
        for name in names {
            switch claims[name] {
            case nil, .null?:
                continue
            case .string(let value)?:
                metadata[name] = value
            case .array(let values)? where values.allSatisfy({ $0.stringValue != nil }):
                metadata[name] = values.compactMap(\.stringValue).joined(separator: " ")
            case let value?:
                metadata[name] = value.serialized()
            }
        }
        return metadata
    }

    /// The 201 / 200 body: the stored metadata plus `registration_client_uri` and the
    /// credentials issued by this request.
    static func responseBody(
        _ client: RegisteredClient,
        credentials: Credentials,
        registrationClientURI: String
    ) -> JSONValue {
        var body = (try? JSONValue.parse(Array(client.metadataJSON.utf8), maximumLength: .max))?.objectValue ?? [:]
        body["registration_client_uri"] = .string(registrationClientURI)
        if let secret = credentials.clientSecret {
            body["client_secret"] = .string(secret)
            body["client_secret_expires_at"] = .integer(0)
        }
        if let token = credentials.registrationAccessToken {
            body["registration_access_token"] = .string(token)
        }
        return .object(body)
    }
}
