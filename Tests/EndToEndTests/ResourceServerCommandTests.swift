import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `ob-sandbox resource-server`: the demo accounts API as its own process (how Docker/compose.yaml
/// runs it), checking real tokens from the authorization server against the forwarded
/// `Client-Cert` (RFC 8705 §3, RFC 9440).
@Suite("ob-sandbox resource-server as a process")
struct ResourceServerCommandTests {
    /// `Client-Cert` for the first certificate in a PEM file: the DER in base64 between colons
    /// (RFC 9440 §2.1, an RFC 8941 byte sequence).
    static func clientCertHeader(pemFile: String) throws -> String {
        let pem = try String(contentsOfFile: pemFile, encoding: .utf8)
        var body = ""
        var inside = false
        for line in pem.split(separator: "\n") {
            if line.hasPrefix("-----BEGIN CERTIFICATE") { inside = true; continue }
            if line.hasPrefix("-----END CERTIFICATE") { break }
            if inside { body += line.trimmingCharacters(in: .whitespaces) }
        }
        return ":\(body):"
    }

    /// GET the accounts path with `headers`; returns the status and body.
    static func get(port: Int, headers: [String: String]) async throws -> (status: Int, body: String, challenge: String?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/open-banking/v3.1/aisp/accounts")!)
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "WWW-Authenticate"))
    }

    @Test("a bound token with its certificate gets the accounts; without a token, with another certificate, or after DELETE (introspection), 401; SIGTERM exits 0")
    func boundTokens() async throws {
        #expect(Executables.missing.isEmpty, "build first: swift build --build-tests")
        try await TPPStack.with("resource-server") { stack in
            let ssa = try await stack.createSoftwareStatement()
            try #require(ssa.status == 0, "\(ssa)")
            let register = try await stack.tpp("register", ["--ssa", "ssa.jwt", "--field", "client_id"])
            try #require(register.status == 0, "\(register)")
            let clientID = register.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let token = try await stack.tpp("token", ["--client-id=\(clientID)", "--scope", "accounts", "--field", "access_token"])
            try #require(token.status == 0, "\(token)")
            let accessToken = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            // The secret from a file, as Docker/compose.yaml passes it (with the newline `echo` adds).
            try Data((TPPStack.introspectionSecret + "\n").utf8).write(to: URL(fileURLWithPath: stack.workspace.file("introspection.secret")))
            let server = try RunningProcess(
                Executables.obSandbox,
                [
                    "resource-server", "--port", "0",
                    "--authorization-server", "http://127.0.0.1:\(stack.authorizationServerPort)",
                    "--issuer", TPPStack.issuer,
                    "--introspection-user", TPPStack.introspectionName,
                    "--introspection-secret-file", "introspection.secret",
                ],
                in: stack.workspace.path
            )
            let port = try await server.waitForPort("listening on http://127\\.0\\.0\\.1:[0-9]+", in: .stdout)

            let bound = try Self.clientCertHeader(pemFile: stack.workspace.file("pki/tpp-transport.pem"))
            let other = try Self.clientCertHeader(pemFile: stack.workspace.file("pki/tpp-obwac-transport.pem"))

            let served = try await Self.get(port: port, headers: ["Authorization": "Bearer \(accessToken)", "Client-Cert": bound])
            #expect(served.status == 200, "\(served.body)")
            #expect(served.body.contains("\"AccountId\""))

            let anonymous = try await Self.get(port: port, headers: [:])
            #expect(anonymous.status == 401)
            #expect(anonymous.challenge?.hasPrefix("Bearer realm=") == true)

            let stolen = try await Self.get(port: port, headers: ["Authorization": "Bearer \(accessToken)", "Client-Cert": other])
            #expect(stolen.status == 401, "\(stolen.body)")
            #expect(stolen.challenge?.contains("error=\"invalid_token\"") == true, "\(stolen.challenge ?? "")")

            // DELETE revokes the client's tokens; introspection makes the API see it at once.
            let delete = try await stack.tpp("delete", ["--token=\(accessToken)", "--", clientID])
            #expect(delete.status == 0, "\(delete)")
            let revoked = try await Self.get(port: port, headers: ["Authorization": "Bearer \(accessToken)", "Client-Cert": bound])
            #expect(revoked.status == 401, "\(revoked.body)")
            #expect(revoked.body.contains("no longer active"), "\(revoked.body)")

            #expect(await server.terminate() == 0, "\(server.stderr)")
        }
    }

    @Test("a malformed --authorization-server, a missing, unreadable or empty introspection secret, or a secret file without a user is one sentence and exit 1")
    func badURL() async throws {
        let workspace = try Workspace.make("resource-server-bad")
        defer { workspace.remove() }
        let result = try await Executables.obSandbox(
            ["resource-server", "--port", "0", "--authorization-server", "as:9000", "--issuer", "https://x"],
            in: workspace.path
        )
        #expect(result.status == 1)
        #expect(result.stderr == "Error: --authorization-server must be an http:// or https:// URL.\n", "\(result)")

        let noSecret = try await Executables.obSandbox(
            ["resource-server", "--port", "0", "--authorization-server", "http://127.0.0.1:9", "--issuer", "https://x",
             "--introspection-user", "rs"],
            in: workspace.path
        )
        #expect(noSecret.status == 1)
        #expect(
            noSecret.stderr
                == "Error: --introspection-user needs the secret in --introspection-secret-file or the environment variable OB_SANDBOX_INTROSPECTION_SECRET.\n",
            "\(noSecret)"
        )

        let base = ["resource-server", "--port", "0", "--authorization-server", "http://127.0.0.1:9", "--issuer", "https://x"]
        let missingFile = try await Executables.obSandbox(
            base + ["--introspection-user", "rs", "--introspection-secret-file", "nowhere.secret"],
            in: workspace.path
        )
        #expect(missingFile.status == 1)
        #expect(missingFile.stderr == "Error: cannot read the introspection secret file nowhere.secret.\n", "\(missingFile)")

        try Data("\n".utf8).write(to: URL(fileURLWithPath: workspace.file("empty.secret")))
        let emptyFile = try await Executables.obSandbox(
            base + ["--introspection-user", "rs", "--introspection-secret-file", "empty.secret"],
            in: workspace.path
        )
        #expect(emptyFile.status == 1)
        #expect(emptyFile.stderr == "Error: the introspection secret file empty.secret is empty.\n", "\(emptyFile)")

        let fileWithoutUser = try await Executables.obSandbox(base + ["--introspection-secret-file", "empty.secret"], in: workspace.path)
        #expect(fileWithoutUser.status == 1)
        #expect(
            fileWithoutUser.stderr
                == "Error: --introspection-secret-file needs --introspection-user (the name the authorization server knows it by).\n",
            "\(fileWithoutUser)"
        )
    }
}
