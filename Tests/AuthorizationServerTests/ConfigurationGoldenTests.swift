import AuthorizationServer
import Foundation
import GatewayCore
import Testing

/// Golden tests: a file with every kind of mistake gives exactly these problems, in this order,
/// each at its key path.
@Suite("configuration problems")
struct ConfigurationGoldenTests {
    static let badFile = """
        [server]
        address = "localhost"
        issuer = "http://as.example.com"
        trusted_proxies = ["10.0.0.0/33"]
        max_body_size = "big"
        listen = "127.0.0.1:9000"

        [database]
        url = "mysql://db.example.com/as"
        connect_timout = "5s"

        [registration]
        audience = []
        request_max_age = "0s"
        clock_skew = "soon"
        token_endpoint_auth_methods = ["tls_client_auth", "client_secret_jwt", "magic", "tls_client_auth"]
        extended_metadata = ["org_id", "org_nme"]
        transport_trust_roots = ["pki/missing.pem"]
        allow_self_signed_ssa = "yes"

        [[directory]]
        name = "OB"
        issuer = "OpenBanking Ltd"
        jwks = "http://keystore.example/ob.jwks"

        [[directory]]
        name = "OB"
        issuer = "OpenBanking Ltd"
        jwks = "pki/directory.jwks"
        fetch_timeout = 5

        [tokens]
        signing_key = "pki/root-ca.pem"

        [introspection]
        credentials = ["rs1:abc", "rs 2:0000000000000000000000000000000000000000000000000000000000000000"]

        [extra]
        """

    @Test("a bad file reports every problem with its key path")
    func everyProblem() throws {
        let directory = try StoreTestDirectory.withPKI("as-golden")
        defer { directory.remove() }
        let base = directory.path
        let error = #expect(throws: ConfigurationError.self) {
            try AuthorizationServerConfigurationLoader.load(contents: Self.badFile, baseDirectory: base, sourceName: "bad.conf")
        }
        let expected = [
            "server.address: missing port; expected \"host:port\"",
            "server.issuer: must be an https URL such as \"https://as.example.com\", got \"http://as.example.com\"",
            "server.trusted_proxies[0]: prefix length \"33\" is not in 0...32",
            "server.max_body_size: invalid size \"big\"; use a number with B, KiB, MiB, GiB, KB, MB or GB, e.g. \"32KiB\"",
            "server.listen: unknown key",
            "database.url: unsupported database URL; use \"sqlite:PATH\", \"sqlite::memory:\" or \"postgres://user@host:5432/db\"",
            "database.connect_timout: unknown key (did you mean \"connect_timeout\"?)",
            "registration.audience: must list at least one accepted aud value (the ASPSP's Open Banking org id)",
            "registration.request_max_age: must be greater than zero",
            "registration.clock_skew: invalid duration \"soon\"; use a number with ms, s, m or h, e.g. \"250ms\", \"10s\", \"5m\"",
            "registration.token_endpoint_auth_methods[1]: \"client_secret_jwt\" is not supported: client secrets are stored hashed, and this method needs the secret in clear",
            "registration.token_endpoint_auth_methods[2]: unknown value \"magic\"; expected \"tls_client_auth\", \"private_key_jwt\", \"client_secret_basic\" or \"client_secret_post\"",
            "registration.token_endpoint_auth_methods[3]: \"tls_client_auth\" is listed twice",
            "registration.extended_metadata[1]: unknown software statement claim \"org_nme\" (did you mean \"org_name\"?)",
            "registration.transport_trust_roots[0]: cannot read \"\(base)/pki/missing.pem\": No such file or directory",
            "registration.allow_self_signed_ssa: expected a boolean (true or false), got a string",
            "directory[0] \"OB\".jwks: must be an https URL or a file path: keys fetched over plain HTTP could be replaced in transit",
            "directory[1] \"OB\".name: duplicate name; \"OB\" is already used by directory[0] \"OB\"",
            "directory[1] \"OB\".issuer: duplicate issuer; \"OpenBanking Ltd\" is already used by directory[0] \"OB\"",
            "directory[1] \"OB\".fetch_timeout: expected a duration string such as \"10s\", got an integer",
            "tokens.signing_key: no private key in \"\(base)/pki/root-ca.pem\"",
            "introspection.credentials[0]: the secret of \"rs1\" must be its SHA-256 as 64 hex digits (printf %s SECRET | sha256sum)",
            "introspection.credentials[1]: invalid name \"rs 2\"; use letters, digits, \".\", \"_\" and \"-\"",
            "extra: unknown key",
        ]
        #expect(error?.problems.map(\.description) == expected)
    }

    @Test("an empty file names every required section")
    func emptyFile() {
        let error = #expect(throws: ConfigurationError.self) {
            try AuthorizationServerConfigurationLoader.load(contents: "", baseDirectory: "/", sourceName: "as.conf")
        }
        #expect(error?.problems.map(\.description) == [
            "server: required section [server] is missing",
            "database: required section [database] is missing",
            "registration: required section [registration] is missing",
            "directory: at least one [[directory]] is required",
            "tokens: required section [tokens] is missing",
        ])
    }

    @Test("required keys inside sections")
    func requiredKeys() {
        let text = """
            [server]
            [database]
            [registration]
            [[directory]]
            [tokens]
            """
        let error = #expect(throws: ConfigurationError.self) {
            try AuthorizationServerConfigurationLoader.load(contents: text, baseDirectory: "/", sourceName: "as.conf")
        }
        #expect(error?.problems.map(\.description) == [
            "server.address: required key is missing",
            "server.issuer: required key is missing",
            "database.url: required key is missing",
            "registration.audience: required key is missing",
            "registration.transport_trust_roots: required key is missing",
            "directory[0].name: required key is missing",
            "directory[0].issuer: required key is missing",
            "directory[0].jwks: required key is missing",
            "tokens.signing_key: required key is missing",
        ])
    }

    @Test("a TOML syntax error is reported with its line")
    func syntaxError() {
        let error = #expect(throws: ConfigurationError.self) {
            try AuthorizationServerConfigurationLoader.load(
                contents: "[server]\naddress = \"127.0.0.1:0\"\nissuer = \n",
                baseDirectory: "/",
                sourceName: "as.conf"
            )
        }
        #expect(error?.problems.count == 1)
        #expect(error?.problems.first?.keyPath == "as.conf")
        #expect(error?.problems.first?.line == 3)
    }

    @Test("an unreadable file is one problem naming it")
    func unreadableFile() {
        let error = #expect(throws: ConfigurationError.self) {
            try AuthorizationServerConfigurationLoader.load(path: "/nonexistent/authorization-server.conf")
        }
        #expect(error?.description == "cannot read \"/nonexistent/authorization-server.conf\": No such file or directory")
    }
}
