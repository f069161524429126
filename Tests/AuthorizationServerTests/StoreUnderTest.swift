import AuthorizationServer
import Foundation
import Logging
import Testing

/// The stores the shared contract suite runs against: in memory, a SQLite temporary file, and
/// PostgreSQL when `MTLS_TEST_POSTGRES_URL` is set (scripts/test.sh starts one and sets it).
enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case memory
    case sqlite
    case postgres

    var description: String { self.rawValue }

    /// The PostgreSQL URL the test command provides, if any.
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["MTLS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The kinds available here.
    static var available: [StoreKind] {
        Self.postgresURL == nil ? [.memory, .sqlite] : Self.allCases
    }

    /// The SQL kinds available here.
    static var sql: [StoreKind] {
        Self.available.filter { $0 != .memory }
    }
}

/// A store opened for one test, with its service running; ``close()`` stops the service and
/// removes temporary files.
struct StoreUnderTest {
    let store: any ClientStore
    private let serviceTask: Task<Void, any Error>?
    private let directory: StoreTestDirectory?

    /// A quiet logger for stores under test.
    static let logger = Logger(label: "store-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Opens a fresh store of `kind` (PostgreSQL: the shared test database; tests use unique ids).
    static func open(_ kind: StoreKind) async throws -> StoreUnderTest {
        switch kind {
        case .memory:
            return StoreUnderTest(store: InMemoryClientStore(), serviceTask: nil, directory: nil)
        case .sqlite:
            let directory = try StoreTestDirectory("as-sqlite")
            let settings = try DatabaseSettings(url: "sqlite:data/store.sqlite", baseDirectory: directory.path)
            return try await Self.open(settings, directory: directory)
        case .postgres:
            let url = try #require(StoreKind.postgresURL)
            return try await Self.open(try DatabaseSettings(url: url, baseDirectory: "/"), directory: nil)
        }
    }

    /// Opens `settings` through `makeClientStore` and runs its service.
    static func open(_ settings: DatabaseSettings, directory: StoreTestDirectory?) async throws -> StoreUnderTest {
        let (store, service) = try await makeClientStore(settings, logger: Self.logger)
        let task = service.map { service in Task { try await service.run() } }
        return StoreUnderTest(store: store, serviceTask: task, directory: directory)
    }

    /// Stops the service (closing connections) and removes temporary files.
    func close() async {
        self.serviceTask?.cancel()
        _ = await self.serviceTask?.result
        self.directory?.remove()
    }
}

/// Values for store tests.
enum StoreSamples {
    /// A client with every field set, unique per call.
    static func client(
        id: String = "client-" + UUID().uuidString,
        issuedAt: Int64 = 1_760_000_000,
        authMethod: String = "tls_client_auth"
    ) -> RegisteredClient {
        RegisteredClient(
            clientID: id,
            clientIDIssuedAt: issuedAt,
            updatedAt: issuedAt,
            tokenEndpointAuthMethod: authMethod,
            tlsClientAuthSubjectDN: "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB",
            clientSecretHash: authMethod.hasPrefix("client_secret") ? String(repeating: "ab", count: 32) : nil,
            registrationAccessTokenHash: String(repeating: "cd", count: 32),
            softwareID: "2ZVHy1MEB0Ar8ov2lgcsMM",
            organisationID: "0015800001041REAAY",
            transportCertificateThumbprint: "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2",
            scope: "accounts openid",
            metadataJSON: #"{"client_id":"\#(id)","redirect_uris":["https://tpp.example.com/cb"],"scope":"accounts openid"}"#,
            softwareStatement: "eyJhbGciOiJQUzI1NiJ9.eyJzb2Z0d2FyZV9pZCI6IjJaVkh5In0.c2ln",
            softwareStatementClaimsJSON: #"{"org_name":"Sandbox TPP Ltd — ünïcode","software_roles":["AISP","PISP"]}"#,
            extendedMetadata: ["org_id": "0015800001041REAAY", "org_name": "Sandbox TPP Ltd — ünïcode", "software_roles": "AISP PISP"]
        )
    }

    /// A token of `clientID`, unique per call.
    static func token(clientID: String, expiresAt: Int64 = Int64(Date().timeIntervalSince1970) + 600) -> IssuedToken {
        IssuedToken(
            jti: "token-" + UUID().uuidString,
            clientID: clientID,
            scope: "accounts",
            certificateThumbprint: "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2",
            issuedAt: expiresAt - 600,
            expiresAt: expiresAt
        )
    }
}
