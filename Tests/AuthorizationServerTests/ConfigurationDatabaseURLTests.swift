import AuthorizationServer
import GatewayCore
import Testing

@Suite("database URLs")
struct ConfigurationDatabaseURLTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        var url: String
        var kind: DatabaseKind
        var testDescription: String { self.url }
    }

    static let accepted: [Accepted] = [
        Accepted(url: "sqlite:data/as.sqlite", kind: .sqlite(path: "/etc/as/data/as.sqlite")),
        Accepted(url: "sqlite:../var/as.sqlite", kind: .sqlite(path: "/etc/var/as.sqlite")),
        Accepted(url: "sqlite:/var/lib/as.sqlite", kind: .sqlite(path: "/var/lib/as.sqlite")),
        Accepted(url: "sqlite:///var/lib/as.sqlite", kind: .sqlite(path: "/var/lib/as.sqlite")),
        Accepted(url: "sqlite::memory:", kind: .sqlite(path: ":memory:")),
        Accepted(
            url: "postgres://as:s%40cret@db.example.com:6543/oauth",
            kind: .postgres(.init(host: "db.example.com", port: 6543, username: "as", password: "s@cret", database: "oauth"))
        ),
        Accepted(
            url: "postgresql://as@db.example.com/oauth?sslmode=require",
            kind: .postgres(.init(host: "db.example.com", username: "as", database: "oauth", tls: .require))
        ),
        Accepted(
            url: "postgres://as@[::1]:5433/oauth?sslmode=disable",
            kind: .postgres(.init(host: "::1", port: 5433, username: "as", database: "oauth", tls: .disable))
        ),
        Accepted(
            url: "postgres://postgres@/mtls_test?host=/tmp/pg",
            kind: .postgres(.init(host: nil, unixSocketPath: "/tmp/pg/.s.PGSQL.5432", username: "postgres", database: "mtls_test"))
        ),
        Accepted(
            url: "postgres://postgres@/mtls_test?host=/tmp/pg/&port=5499",
            kind: .postgres(.init(host: nil, port: 5499, unixSocketPath: "/tmp/pg/.s.PGSQL.5499", username: "postgres", database: "mtls_test"))
        ),
        Accepted(
            url: "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/as",
            kind: .postgres(.init(host: nil, unixSocketPath: "/var/run/postgresql/.s.PGSQL.5432", username: "postgres", database: "as"))
        ),
        Accepted(
            url: "postgres://postgres@/as?host=/run/pg/.s.PGSQL.6000",
            kind: .postgres(.init(host: nil, unixSocketPath: "/run/pg/.s.PGSQL.6000", username: "postgres", database: "as"))
        ),
        Accepted(
            url: "postgres://as@localhost",
            kind: .postgres(.init(host: "localhost", username: "as"))
        ),
    ]

    @Test("accepted forms", arguments: Self.accepted)
    func acceptedForms(_ example: Accepted) throws {
        let settings = try DatabaseSettings(url: example.url, baseDirectory: "/etc/as")
        #expect(settings.kind == example.kind)
        #expect(settings.url == example.url)
    }

    static let refused: [(String, String)] = [
        ("mysql://db/as", "unsupported database URL"),
        ("sqlite:", "the SQLite URL has no path"),
        ("sqlite://relative/path", "needs an absolute path"),
        ("sqlite:as.sqlite?mode=ro", "SQLite URLs take no parameters"),
        ("postgres://db.example.com/as", "names no user"),
        ("postgres://as@/db", "names no host"),
        ("postgres://as@db:99999/as", "invalid PostgreSQL port \"99999\""),
        ("postgres://as@db/as?sslmode=sometimes", "unknown sslmode \"sometimes\""),
        ("postgres://as@db/as?application_name=x", "unknown PostgreSQL URL parameter \"application_name\""),
        ("postgres://as@db/as#frag", "no fragment"),
        ("postgres://as@/as?host=relative/dir", "must be an absolute path"),
    ]

    @Test("refused forms, without repeating the URL", arguments: Self.refused)
    func refusedForms(_ url: String, _ message: String) {
        let error = #expect(throws: ConfigurationValueError.self) {
            try DatabaseSettings(url: url, baseDirectory: "/etc/as")
        }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("the password never appears in the redacted URL or in errors")
    func passwordRedacted() throws {
        let settings = try DatabaseSettings(url: "postgres://as:hunter2@db.example.com/oauth", baseDirectory: "/")
        #expect(settings.redactedURL == "postgres://as:***@db.example.com:5432/oauth")
        let socket = try DatabaseSettings(url: "postgres://as@/oauth?host=/run/pg", baseDirectory: "/")
        #expect(socket.redactedURL == "postgres://as@/oauth?host=/run/pg/.s.PGSQL.5432")
        let error = #expect(throws: ConfigurationValueError.self) {
            try DatabaseSettings(url: "postgres://as:hunter2@db.example.com/oauth?bad=1", baseDirectory: "/")
        }
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test("[database] connect_timeout and max_connections")
    func databaseKeys() throws {
        let directory = try StoreTestDirectory.withPKI("as-db")
        defer { directory.remove() }
        let text = StoreTestDirectory.minimalConfiguration(databaseURL: "postgres://as@/oauth?host=/run/pg")
            .replacingOccurrences(of: "[registration]", with: "connect_timeout = \"2s\"\nmax_connections = 3\n[registration]")
        let configuration = try AuthorizationServerConfigurationLoader.load(
            contents: text,
            baseDirectory: directory.path,
            sourceName: "as.conf"
        )
        #expect(configuration.database.connectTimeout == .seconds(2))
        #expect(configuration.database.maxConnections == 3)
    }
}
