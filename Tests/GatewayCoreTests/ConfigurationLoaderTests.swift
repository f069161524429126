import Foundation
import GatewayCore
import Testing

@Suite("Configuration loader: problems")
struct ConfigurationLoaderTests {
    @Test("a bad file reports every problem with its key path, in order")
    func goldenProblems() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let contents = """
            [gateway]
            drain_timeout = "10 seconds"
            max_connections = "many"
            access_log_format = "xml"
            trusted_downstream = ["10.0.0.1/8", "192.168.0.0/16"]

            [admin]
            address = "localhost"

            [[listener]]
            name = "mtls"
            address = "0.0.0.0:99999"
            certificate_chain = "pki/server-chain.pem"
            private_key = "pki/server.key"
            client_certificate = "maybe"
            trust_roots = ["pki/root-ca.pem", "pki/missing.pem"]
            max_chain_depth = 1
            tls_min_version = 1.2

            [[upstream]]
            name = "as"
            servers = ["http://127.0.0.1:9000/path"]
            connect_timeout = "0s"

            [[upstream]]
            name = "as"
            servers = ["ftp://x"]

            [[route]]
            name = "registration"
            pathprefix = "/register"
            upstream = "auth"
            methods = ["post"]

            [[route]]
            name = "registration"
            path_prefix = "token"
            upstream = "as"
            host = "api.bank.example:443"
            client_certificate = "none"

            [extra]
            x = 1
            """
        let missing = fixtures.path("pki/missing.pem")
        let expected = [
            #"gateway.access_log_format: unknown value "xml"; expected "json" or "combined""#,
            #"gateway.drain_timeout: invalid duration "10 seconds"; use a number with ms, s, m or h, e.g. "250ms", "10s", "5m""#,
            #"gateway.max_connections: expected an integer, got a string"#,
            #"gateway.trusted_downstream[0]: "10.0.0.1/8" has host bits set; did you mean "10.0.0.0/8"?"#,
            #"admin.address: missing port; expected "host:port""#,
            #"listener[0] "mtls".address: port "99999" is not a number in 0...65535"#,
            #"listener[0] "mtls".client_certificate: unknown value "maybe"; expected "required", "optional" or "none""#,
            #"listener[0] "mtls".trust_roots[1]: cannot read "\#(missing)": No such file or directory"#,
            #"listener[0] "mtls".max_chain_depth: must be at least 2, got 1"#,
            #"listener[0] "mtls".tls_min_version: expected a string ("1.2" or "1.3"), got a floating-point number"#,
            #"upstream[0] "as".servers[0]: "http://127.0.0.1:9000/path" must not have a path, query or fragment"#,
            #"upstream[0] "as".connect_timeout: must be greater than zero"#,
            #"upstream[1] "as".name: duplicate name; "as" is already used by upstream[0] "as""#,
            #"upstream[1] "as".servers[0]: "ftp://x" must start with "http://" or "https://""#,
            #"route[0] "registration".path_prefix: required key is missing"#,
            #"route[0] "registration".methods[0]: methods are case-sensitive and must be uppercase; did you mean "POST"?"#,
            #"route[0] "registration".upstream: no upstream named "auth""#,
            #"route[0] "registration".pathprefix: unknown key (did you mean "path_prefix"?)"#,
            #"route[1] "registration".name: duplicate name; "registration" is already used by route[0] "registration""#,
            #"route[1] "registration".host: a host pattern must not contain a port ("api.bank.example:443")"#,
            #"route[1] "registration".path_prefix: must start with "/""#,
            #"route[1] "registration".client_certificate: unknown value "none"; expected "required" or "optional""#,
            #"extra: unknown key"#,
        ]
        let problems = fixtures.problems(contents)
        #expect(problems == expected)
        if problems != expected {
            Issue.record("actual problems:\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test("a TOML syntax error reports its line")
    func syntaxErrorLine() throws {
        let contents = """
            [gateway]
            drain_timeout = "10s"
            max_connections = = 3
            """
        do {
            _ = try ConfigurationLoader.load(contents: contents, baseDirectory: "/tmp", sourceName: "gateway.conf")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.problems.count == 1)
            let problem = try #require(error.problems.first)
            #expect(problem.line == 3)
            #expect(problem.keyPath == "gateway.conf")
            #expect(problem.description.hasPrefix("gateway.conf:3: "))
        }
    }

    @Test(
        "structural problems",
        arguments: [
            ("", [#"listener: at least one [[listener]] is required"#, #"route: at least one [[route]] is required"#]),
            (
                "[listener]\nname = \"x\"\n",
                [
                    #"listener: expected an array of tables ([[listener]]), got a table"#,
                    #"route: at least one [[route]] is required"#,
                ]
            ),
            (
                "[[listeners]]\nname = \"x\"\n[[routes]]\nname = \"y\"\n",
                [
                    #"listener: at least one [[listener]] is required"#,
                    #"route: at least one [[route]] is required"#,
                    #"listeners: unknown key (did you mean "listener"?)"#,
                    #"routes: unknown key (did you mean "route"?)"#,
                ]
            ),
            ("gateway = 3\n", [#"gateway: expected a table, got an integer"#]),
        ]
    )
    func structuralProblems(contents: String, expected: [String]) throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let problems = fixtures.problems(contents)
        #expect(Array(problems.prefix(expected.count)) == expected || problems == expected)
        for line in expected {
            #expect(problems.contains(line))
        }
    }

    @Test(
        "listener problems",
        arguments: [
            ("client_certificate = \"required\"\ntrust_roots = []", #"listener[0] "mtls".trust_roots: at least one PEM file is required when client_certificate is "required""#),
            ("private_key = \"pki/tpp-transport.key\"", #"listener[0] "mtls".private_key: does not match the first certificate of certificate_chain"#),
            ("private_key = \"pki/root-ca.pem\"", #"listener[0] "mtls".private_key: no private key in"#),
            ("certificate_chain = \"pki/server.key\"", #"listener[0] "mtls".certificate_chain: no certificate in"#),
            ("intermediates = [\"pki/README.txt\"]", #"listener[0] "mtls".intermediates[0]: no certificate in"#),
            ("intermediates = \"pki/issuing-ca.pem\"", #"listener[0] "mtls".intermediates: expected an array, got a string"#),
            ("intermediates = [3]", #"listener[0] "mtls".intermediates[0]: expected a string, got an integer"#),
            ("certificate_chain = \"pki\"", #"listener[0] "mtls".certificate_chain: cannot read"#),
            ("adress = \"x\"", #"listener[0] "mtls".adress: unknown key (did you mean "address"?)"#),
            ("name = \"has space\"", #"listener[0] "has space".name: invalid name "has space"; use letters, digits, ".", "_" and "-""#),
        ]
    )
    func listenerProblems(override: String, expectedPrefix: String) throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let problems = fixtures.problems(Self.listener(overriding: override) + ConfigurationFixtures.upstreamAndRoute)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(expectedPrefix) == true, "\(problems)")
    }

    @Test("a listener without client certificates needs no trust roots; a missing key is reported")
    func listenerRequiredKeys() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let contents = """
            [[listener]]
            name = "plain"
            client_certificate = "none"

            """ + ConfigurationFixtures.upstreamAndRoute
        #expect(
            fixtures.problems(contents) == [
                #"listener[0] "plain".address: required key is missing"#,
                #"listener[0] "plain".certificate_chain: required key is missing"#,
                #"listener[0] "plain".private_key: required key is missing"#,
            ]
        )
    }

    @Test("two listeners on one address, and the admin endpoint on a listener's address")
    func addressCollisions() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let listener = { (name: String) in
            ConfigurationFixtures.listener().replacingOccurrences(of: "\"mtls\"", with: "\"\(name)\"")
                .replacingOccurrences(of: "127.0.0.1:0", with: "127.0.0.1:8443")
        }
        let contents = "[admin]\naddress = \"127.0.0.1:8443\"\n" + listener("a") + listener("b")
            + ConfigurationFixtures.upstreamAndRoute
        #expect(
            fixtures.problems(contents) == [
                #"listener[1] "b".address: 127.0.0.1:8443 is already used by listener[0] "a""#,
                #"admin.address: 127.0.0.1:8443 is also the address of listener "a""#,
            ]
        )
    }

    @Test("upstream and route problems")
    func upstreamAndRouteProblems() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let contents = ConfigurationFixtures.listener() + """
            [[upstream]]
            name = "as"
            servers = ["http://a:1", "https://b:2"]

            [[upstream]]
            name = "rs"
            servers = ["http://rs"]
            max_idle_connections = -1
            [upstream.tls]
            certificate_chain = "pki/server-chain.pem"
            server_name = "bad name"

            [[upstream]]
            name = "empty"
            servers = []

            [[route]]
            name = "r"
            path_prefix = "/a/../b"
            upstream = "rs-"
            methods = []
            rewrite_prefix = "/x?y"
            max_body_size = "1 MiB"
            response_timeout = 5
            preserve_host = "yes"

            [[route]]
            name = "s"
            path_prefix = "/ok"
            upstream = "as"
            methods = ["G T"]
            max_body_size = "0B"
            """
        #expect(
            fixtures.problems(contents) == [
                #"upstream[0] "as".servers: mixes http:// and https:// servers; use one upstream per scheme"#,
                #"upstream[1] "rs".tls.private_key: required when certificate_chain is set"#,
                #"upstream[1] "rs".tls.server_name: "bad name" is not a valid host name"#,
                #"upstream[1] "rs".tls: only allowed when the servers use https://"#,
                #"upstream[1] "rs".max_idle_connections: must be at least 0, got -1"#,
                #"upstream[2] "empty".servers: at least one server is required"#,
                #"route[0] "r".path_prefix: must not contain "." or ".." segments"#,
                #"route[0] "r".methods: must list at least one method; omit the key to allow any method"#,
                #"route[0] "r".upstream: no upstream named "rs-" (did you mean "rs"?)"#,
                #"route[0] "r".max_body_size: invalid size "1 MiB"; use a number with B, KiB, MiB, GiB, KB, MB or GB, e.g. "32KiB""#,
                #"route[0] "r".response_timeout: expected a duration string such as "10s", got an integer"#,
                #"route[0] "r".preserve_host: expected a boolean (true or false), got a string"#,
                #"route[0] "r".rewrite_prefix: "/x?y" contains characters not allowed in a URL path (no query, fragment, spaces or non-ASCII)"#,
                #"route[1] "s".methods[0]: "G T" is not a valid method"#,
                #"route[1] "s".max_body_size: must be greater than zero"#,
            ]
        )
    }

    @Test("identity header problems")
    func identityHeaderProblems() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let contents = """
            [identity_headers]
            forward = ["rfc9440", "envoy", "rfc9440"]
            dn_format = "ldap"
            forwad = []

            """ + ConfigurationFixtures.listener() + ConfigurationFixtures.upstreamAndRoute
        #expect(
            fixtures.problems(contents) == [
                #"identity_headers.forward[1]: unknown value "envoy"; expected "rfc9440", "derived", "xfcc", "nginx" or "apache""#,
                #"identity_headers.forward[2]: "rfc9440" is listed twice"#,
                #"identity_headers.dn_format: unknown value "ldap"; expected "openssl" or "rfc4514""#,
                #"identity_headers.forwad: unknown key (did you mean "forward"?)"#,
            ]
        )
    }

    @Test("an unreadable configuration file")
    func unreadableFile() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let path = fixtures.path("nope.conf")
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: path) }
        do {
            _ = try ConfigurationLoader.load(path: path)
        } catch {
            #expect(error.description == #"cannot read "\#(path)": No such file or directory"#)
        }
    }

    /// The fixture listener with `override`'s keys replacing (or added to) its own.
    static func listener(overriding override: String) -> String {
        let overridden = Set(override.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        let kept = ConfigurationFixtures.listener().split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            guard let key = line.split(separator: " ").first.map(String.init) else { return true }
            return !overridden.contains(key)
        }
        return kept.joined(separator: "\n") + "\n" + override + "\n\n"
    }
}
