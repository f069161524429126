import AuthorizationServer
import Foundation
import GatewayCore
import Testing

/// `[database] password_env` and `startup_wait`: what containers need from the configuration.
@Suite("database password from the environment, start-up wait")
struct ConfigurationDatabaseSecretsTests {
    static func load(_ databaseTable: String, in directory: StoreTestDirectory) throws -> AuthorizationServerConfiguration {
        let text = StoreTestDirectory.minimalConfiguration()
            .replacingOccurrences(of: "[database]\nurl = \"sqlite:data/as.sqlite\"", with: "[database]\n" + databaseTable)
        return try AuthorizationServerConfigurationLoader.load(contents: text, baseDirectory: directory.path, sourceName: "as.conf")
    }

    static func problems(_ databaseTable: String, in directory: StoreTestDirectory) -> [String] {
        do {
            _ = try Self.load(databaseTable, in: directory)
            return []
        } catch let error as ConfigurationError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test("the password comes from the named variable and never shows in the redacted URL")
    func fromEnvironment() throws {
        let directory = try StoreTestDirectory.withPKI("as-password-env")
        defer { directory.remove() }
        // PATH is set in every test environment; its value stands in for a secret.
        let secret = try #require(ProcessInfo.processInfo.environment["PATH"])
        let configuration = try Self.load(
            "url = \"postgres://as@db.example.com/oauth\"\npassword_env = \"PATH\"\nstartup_wait = \"90s\"",
            in: directory
        )
        guard case .postgres(let postgres) = configuration.database.kind else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(postgres.password == secret)
        #expect(configuration.database.redactedURL == "postgres://as:***@db.example.com:5432/oauth")
        #expect(configuration.database.startupWait == .seconds(90))
        #expect(!configuration.summary.contains(secret))
    }

    @Test("an unset variable, SQLite, or a second password are reported with the key path")
    func refused() throws {
        let directory = try StoreTestDirectory.withPKI("as-password-env-bad")
        defer { directory.remove() }
        #expect(
            Self.problems("url = \"postgres://as@db/oauth\"\npassword_env = \"MTLS_TEST_SURELY_UNSET_VARIABLE\"", in: directory)
                == ["database.password_env: the environment variable MTLS_TEST_SURELY_UNSET_VARIABLE is not set (or is empty)"]
        )
        #expect(
            Self.problems("url = \"sqlite:data/as.sqlite\"\npassword_env = \"PATH\"", in: directory)
                == ["database.password_env: only PostgreSQL URLs take a password"]
        )
        #expect(
            Self.problems("url = \"postgres://as:pw@db/oauth\"\npassword_env = \"PATH\"", in: directory)
                == ["database.password_env: the url already contains a password; keep it in one place"]
        )
        #expect(try Self.load("url = \"sqlite:data/as.sqlite\"", in: directory).database.startupWait == .zero)
    }
}
