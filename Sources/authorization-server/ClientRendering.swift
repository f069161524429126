import AuthorizationServer
import Foundation

/// How `clients list` and `clients show` print clients: text for people, JSON for scripts.
/// Secret and token hashes are never printed (only whether a secret was issued).
enum ClientRendering {
    /// `CLIENT_ID  SOFTWARE_ID  ORG_ID  AUTH_METHOD  CREATED`, one client per line.
    static func table(_ clients: [RegisteredClient]) -> String {
        guard !clients.isEmpty else { return "no clients registered" }
        let header = ["CLIENT_ID", "SOFTWARE_ID", "ORG_ID", "AUTH_METHOD", "CREATED"]
        let rows = clients.map { client in
            [client.clientID, client.softwareID, client.organisationID, client.tokenEndpointAuthMethod, Self.timestamp(client.clientIDIssuedAt)]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        return ([header] + rows).map { row in
            row.enumerated().map { column, value in
                column == row.count - 1 ? value : value.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The list as a JSON array of summaries.
    static func listJSON(_ clients: [RegisteredClient]) throws -> String {
        guard !clients.isEmpty else { return "[]" }
        return try Self.json(clients.map { client -> [String: Any] in
            [
                "client_id": client.clientID,
                "software_id": client.softwareID,
                "org_id": client.organisationID,
                "token_endpoint_auth_method": client.tokenEndpointAuthMethod,
                "client_id_issued_at": client.clientIDIssuedAt,
                "created": Self.timestamp(client.clientIDIssuedAt),
            ]
        })
    }

    /// Everything stored about a client, as a JSON object.
    static func detailJSON(_ client: RegisteredClient) throws -> String {
        try Self.json(Self.detailObject(client))
    }

    /// The JSON object of ``detailJSON(_:)``.
    static func detailObject(_ client: RegisteredClient) -> [String: Any] {
        [
            "client_id": client.clientID,
            "client_id_issued_at": client.clientIDIssuedAt,
            "updated_at": client.updatedAt,
            "token_endpoint_auth_method": client.tokenEndpointAuthMethod,
            "tls_client_auth_subject_dn": client.tlsClientAuthSubjectDN.map { $0 as Any } ?? NSNull(),
            "client_secret_issued": client.clientSecretHash != nil,
            "software_id": client.softwareID,
            "org_id": client.organisationID,
            "transport_certificate_thumbprint": client.transportCertificateThumbprint,
            "scope": client.scope,
            "metadata": Self.object(client.metadataJSON),
            "extended_metadata": client.extendedMetadata,
            "software_statement_claims": Self.object(client.softwareStatementClaimsJSON),
            "software_statement": client.softwareStatement,
        ]
    }

    /// Everything stored about a client, as text sections.
    static func detail(_ client: RegisteredClient) -> String {
        var lines: [String] = []
        func section(_ title: String, _ entries: [(String, String)]) {
            lines.append("")
            lines.append(title)
            let width = entries.map(\.0.count).max() ?? 0
            for (label, value) in entries {
                lines.append("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
            }
        }
        section("Client", [
            ("client_id", client.clientID),
            ("client_id_issued_at", "\(Self.timestamp(client.clientIDIssuedAt)) (\(client.clientIDIssuedAt))"),
            ("updated_at", "\(Self.timestamp(client.updatedAt)) (\(client.updatedAt))"),
            ("token_endpoint_auth_method", client.tokenEndpointAuthMethod),
            ("tls_client_auth_subject_dn", client.tlsClientAuthSubjectDN ?? "-"),
            ("client_secret", client.clientSecretHash == nil ? "none" : "issued (only its SHA-256 is stored)"),
            ("software_id", client.softwareID),
            ("org_id", client.organisationID),
            ("transport certificate x5t#S256", client.transportCertificateThumbprint),
            ("scope", client.scope),
        ])
        section("Registered metadata", Self.entries(Self.object(client.metadataJSON)))
        section("Extended metadata (from the software statement)", client.extendedMetadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        section("Software statement claims", Self.entries(Self.object(client.softwareStatementClaimsJSON)))
        section("Software statement", [("jws", client.softwareStatement)])
        return lines.dropFirst().joined(separator: "\n")
    }

    /// A stored JSON object, or `{}` when it does not parse (never fails the command).
    private static func object(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    /// An object's members as sorted label/value pairs: strings as is, arrays of strings joined
    /// by ", ", anything else as compact JSON.
    private static func entries(_ object: [String: Any]) -> [(String, String)] {
        object.keys.sorted().map { key in
            let value = object[key]
            switch value {
            case let text as String:
                return (key, text)
            case let texts as [String]:
                return (key, texts.joined(separator: ", "))
            default:
                let data = value.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) }
                return (key, data.map { String(decoding: $0, as: UTF8.self) } ?? "null")
            }
        }
    }

    /// Seconds since 1970 as `2025-01-31T12:00:00Z`.
    static func timestamp(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Pretty, key-sorted JSON.
    private static func json(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
