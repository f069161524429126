import AuthorizationServer
import Foundation
import Testing

/// `authorization-server clients list|show|delete` and `check-config`, run as an operator runs
/// them, against a SQLite database written through the store.
@Suite("authorization-server CLI", .timeLimit(.minutes(2)))
struct ClientStoreCommandTests {
    /// A folder with the sandbox PKI, a configuration, and a database holding `clients`.
    static func prepare(_ clients: [RegisteredClient]) async throws -> StoreTestDirectory {
        let directory = try StoreTestDirectory.withPKI("as-cli")
        try directory.write(StoreTestDirectory.minimalConfiguration(), to: "authorization-server.conf")
        let settings = try DatabaseSettings(url: "sqlite:data/as.sqlite", baseDirectory: directory.path)
        let opened = try await StoreUnderTest.open(settings, directory: nil)
        for client in clients {
            try await opened.store.insert(client)
        }
        await opened.close()
        return directory
    }

    @Test("clients list: a table and JSON, oldest first")
    func list() async throws {
        let first = StoreSamples.client(id: "client-one", issuedAt: 1_760_000_000)
        let second = StoreSamples.client(id: "client-two", issuedAt: 1_760_000_100, authMethod: "private_key_jwt")
        let directory = try await Self.prepare([second, first])
        defer { directory.remove() }

        let table = try await StoreCommand.run(["clients", "list"], in: directory.path)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("CLIENT_ID   SOFTWARE_ID") == true)
        #expect(lines.dropFirst().first?.hasPrefix("client-one  2ZVHy1MEB0Ar8ov2lgcsMM  0015800001041REAAY  tls_client_auth  2025-10-09T08:53:20Z") == true)
        #expect(lines.last?.contains("private_key_jwt") == true)

        let json = try await StoreCommand.run(["clients", "list", "--json", "--config", "authorization-server.conf"], in: directory.path)
        #expect(json.status == 0, "\(json.stderr)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(array.map { $0["client_id"] as? String } == ["client-one", "client-two"])
        #expect(array.first?["created"] as? String == "2025-10-09T08:53:20Z")
    }

    @Test("clients show: every stored field, SSA claims and extended metadata; never the hashes")
    func show() async throws {
        let client = StoreSamples.client(id: "client-show", authMethod: "client_secret_basic")
        let directory = try await Self.prepare([client])
        defer { directory.remove() }

        let text = try await StoreCommand.run(["clients", "show", "client-show"], in: directory.path)
        #expect(text.status == 0, "\(text.stderr)")
        for expected in [
            "Client", "client_id                       client-show", "issued (only its SHA-256 is stored)",
            "Registered metadata", "redirect_uris  https://tpp.example.com/cb",
            "Extended metadata (from the software statement)", "software_roles  AISP PISP",
            "Software statement claims", "org_name        Sandbox TPP Ltd — ünïcode",
            "Software statement", client.softwareStatement,
        ] {
            #expect(text.stdout.contains(expected), "show prints \(expected):\n\(text.stdout)")
        }
        #expect(!text.stdout.contains(try #require(client.clientSecretHash)))
        #expect(!text.stdout.contains(client.registrationAccessTokenHash))

        let json = try await StoreCommand.run(["clients", "show", "client-show", "--json"], in: directory.path)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["client_id"] as? String == "client-show")
        #expect(object["client_secret_issued"] as? Bool == true)
        #expect((object["software_statement_claims"] as? [String: Any])?["software_roles"] as? [String] == ["AISP", "PISP"])
        #expect((object["extended_metadata"] as? [String: String])?["org_id"] == "0015800001041REAAY")
        #expect((object["metadata"] as? [String: Any])?["scope"] as? String == "accounts openid")
        #expect(!json.stdout.contains(client.registrationAccessTokenHash))
    }

    @Test("clients delete, then show and delete of the unknown id fail with one sentence")
    func delete() async throws {
        let directory = try await Self.prepare([StoreSamples.client(id: "client-gone")])
        defer { directory.remove() }

        let deleted = try await StoreCommand.run(["clients", "delete", "client-gone"], in: directory.path)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout == "deleted client client-gone; its access tokens are revoked\n")

        for arguments in [["clients", "show", "client-gone"], ["clients", "delete", "client-gone"]] {
            let missing = try await StoreCommand.run(arguments, in: directory.path)
            #expect(missing.status == 1)
            #expect(missing.stderr == "Error: no client with client_id \"client-gone\".\n")
        }
        let empty = try await StoreCommand.run(["clients", "list"], in: directory.path)
        #expect(empty.stdout == "no clients registered\n")
    }

    @Test("clients list without a database, or with PostgreSQL down: one sentence, exit 1")
    func unavailable() async throws {
        let directory = try StoreTestDirectory.withPKI("as-cli-down")
        defer { directory.remove() }
        try directory.write(StoreTestDirectory.minimalConfiguration(), to: "authorization-server.conf")
        let noFile = try await StoreCommand.run(["clients", "list"], in: directory.path)
        #expect(noFile.status == 1)
        #expect(noFile.stderr == "Error: the database \(directory.file("data/as.sqlite")) does not exist yet; the server creates it on its first start.\n")

        try directory.write(
            StoreTestDirectory.minimalConfiguration(databaseURL: "postgres://as:secret@/oauth?host=\(directory.path)/no-such-dir"),
            to: "authorization-server.conf"
        )
        let down = try await StoreCommand.run(["clients", "list"], in: directory.path)
        #expect(down.status == 1)
        #expect(down.stderr.hasPrefix("Error: cannot open the database: cannot connect to PostgreSQL at postgres://as:***@/oauth?host="), "\(down.stderr)")
        #expect(!down.stderr.contains("secret"))
        #expect(down.stderr.split(separator: "\n").count == 1)
    }

    @Test("run: an invalid configuration or an unreachable database exits 1 before serving")
    func runRefuses() async throws {
        let directory = try StoreTestDirectory.withPKI("as-run")
        defer { directory.remove() }
        try directory.write("[server]\n", to: "bad.conf")
        let bad = try await StoreCommand.run(["run", "--config", "bad.conf"], in: directory.path)
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("invalid configuration bad.conf:\nserver.address: required key is missing\n"), "\(bad.stderr)")

        try directory.write(
            StoreTestDirectory.minimalConfiguration(databaseURL: "postgres://as@/oauth?host=\(directory.path)/no-such-dir"),
            to: "down.conf"
        )
        let down = try await StoreCommand.run(["run", "--config", "down.conf", "--log-level", "critical"], in: directory.path)
        #expect(down.status == 1)
        #expect(down.stderr.hasPrefix("Error: cannot open the database: cannot connect to PostgreSQL at postgres://as@/oauth?host="), "\(down.stderr)")
    }

    @Test("check-config: the example is OK with its JWKS warning; a bad file exits 1 listing every problem")
    func checkConfig() async throws {
        let directory = try StoreTestDirectory.withPKI("as-check")
        defer { directory.remove() }
        let example = try String(contentsOfFile: StoreTestDirectory.repositoryRoot + "/authorization-server.conf.example", encoding: .utf8)
        try directory.write(example, to: "authorization-server.conf")
        let ok = try await StoreCommand.run(["check-config", "authorization-server.conf"], in: directory.path)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("signing key               ES256, kid "))
        #expect(ok.stdout.contains("warning: directory[0] \"OpenBanking\".jwks: JWKS file \"\(directory.file("pki/directory.jwks"))\" does not exist yet"))
        #expect(ok.stdout.hasSuffix("configuration OK\n"))

        try directory.write(
            example.replacingOccurrences(of: "clock_skew = \"60s\"", with: "clock_skew = \"soon\"")
                .replacingOccurrences(of: "\"client_secret_basic\"]", with: "\"client_secret_jwt\"]"),
            to: "bad.conf"
        )
        let bad = try await StoreCommand.run(["check-config", "bad.conf"], in: directory.path)
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("invalid configuration bad.conf:\n"))
        #expect(bad.stderr.contains("registration.clock_skew: invalid duration \"soon\""))
        #expect(bad.stderr.contains("registration.token_endpoint_auth_methods[2]: \"client_secret_jwt\" is not supported"))
        #expect(bad.stdout.isEmpty)
    }
}
