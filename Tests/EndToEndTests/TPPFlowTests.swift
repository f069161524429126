import Foundation
import Testing

/// The TPP flow with every component as its own process, as deployed: `ob-sandbox directory
/// serve`, `authorization-server run` (SQLite) and `mtls-gateway run`, driven by `ob-sandbox tpp`.
@Suite("TPP flow through real processes")
struct TPPFlowTests {
    @Test("register, token, read, delete: the token stops working, and each request has one access-log line")
    func registrationLifecycle() async throws {
        #expect(Executables.missing.isEmpty, "build first: swift build --build-tests")
        let started = Date()
        try await TPPStack.with("flow") { stack in
            let ssa = try await stack.createSoftwareStatement()
            try #require(ssa.status == 0, "\(ssa)")

            let register = try await stack.tpp("register", ["--ssa", "ssa.jwt", "--field", "client_id"])
            try #require(register.status == 0, "\(register)")
            let clientID = register.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!clientID.isEmpty)

            let token = try await stack.tpp("token", ["--client-id=\(clientID)", "--field", "access_token"])
            try #require(token.status == 0, "\(token)")
            let accessToken = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            let read = try await stack.tpp("get", ["--token=\(accessToken)", "--", clientID])
            #expect(read.status == 0, "\(read)")
            #expect(read.stdout.hasPrefix("HTTP 200"))
            #expect(read.stdout.contains(TPPStack.softwareID))

            let delete = try await stack.tpp("delete", ["--token=\(accessToken)", "--", clientID])
            #expect(delete.status == 0, "\(delete)")
            #expect(delete.stdout.hasPrefix("HTTP 204"), "\(delete)")

            // After DELETE the client's token no longer works (OB DCR: 401), and no new one is issued.
            let afterDelete = try await stack.tpp("get", ["--token=\(accessToken)", "--", clientID])
            #expect(afterDelete.status == 1)
            #expect(afterDelete.stdout.hasPrefix("HTTP 401"), "\(afterDelete)")
            let tokenAfterDelete = try await stack.tpp("token", ["--client-id=\(clientID)"])
            #expect(tokenAfterDelete.status == 1)
            #expect(tokenAfterDelete.stdout.hasPrefix("HTTP 401"), "\(tokenAfterDelete)")

            // Six requests went through the gateway: six lines, each naming the TPP.
            #expect(await stack.stopGateway() == 0)
            let lines = stack.accessLog
            let expected: [(String, String, Int)] = [
                ("POST", "/register", 201), ("POST", "/token", 200), ("GET", "/register/\(clientID)", 200),
                ("DELETE", "/register/\(clientID)", 204), ("GET", "/register/\(clientID)", 401), ("POST", "/token", 401),
            ]
            #expect(lines.count == expected.count, "\(lines)")
            for (line, (method, path, status)) in zip(lines, expected) {
                #expect(line["event"] as? String == "request")
                #expect(line["method"] as? String == method)
                #expect(line["path"] as? String == path)
                #expect(line["status"] as? Int == status, "\(line)")
                #expect(line["org_id"] as? String == TPPStack.orgID)
                #expect(line["software_id"] as? String == TPPStack.softwareID)
                #expect(line["client_verify"] as? String == "SUCCESS")
            }
        }
        print("e2e timing: registration lifecycle with three processes took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    @Test("a TPP whose certificate comes from another CA is refused at the handshake")
    func otherCARefusedAtHandshake() async throws {
        try await TPPStack.with("other-ca") { stack in
            let ssa = try await stack.createSoftwareStatement()
            try #require(ssa.status == 0, "\(ssa)")
            let register = try await stack.tpp(
                "register",
                ["--ssa", "ssa.jwt", "--transport-cert", "pki/other-ca-transport.pem", "--transport-key", "pki/other-ca-transport.key"]
            )
            #expect(register.status == 1)
            // One sentence, no HTTP response: the connection never got that far.
            #expect(!register.stdout.contains("HTTP "), "\(register)")
            #expect(register.stderr.contains("The TLS connection to https://localhost:\(stack.gatewayPort)/register failed"), "\(register)")

            #expect(await stack.stopGateway() == 0)
            let lines = stack.accessLog
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.first?["event"] as? String == "tls_handshake_failed")
            #expect(lines.first?["reason"] as? String == "unknown_ca", "\(lines)")
        }
    }

    @Test("a tls_client_auth_subject_dn other than the certificate's subject is invalid_client_metadata")
    func subjectDNMismatch() async throws {
        try await TPPStack.with("dn") { stack in
            let ssa = try await stack.createSoftwareStatement()
            try #require(ssa.status == 0, "\(ssa)")
            let register = try await stack.tpp(
                "register",
                ["--ssa", "ssa.jwt", "--subject-dn", "CN=SomeoneElse,OU=\(TPPStack.orgID),O=OpenBanking,C=GB"]
            )
            #expect(register.status == 1)
            #expect(register.stdout.hasPrefix("HTTP 400"), "\(register)")
            #expect(register.stdout.contains(#""error" : "invalid_client_metadata""#), "\(register)")
            #expect(register.stdout.contains("tls_client_auth_subject_dn"), "\(register)")
        }
    }

    @Test("a replayed request JWT is refused")
    func replayRefused() async throws {
        try await TPPStack.with("replay") { stack in
            let ssa = try await stack.createSoftwareStatement()
            try #require(ssa.status == 0, "\(ssa)")
            let first = try await stack.tpp("register", ["--ssa", "ssa.jwt", "--save-request", "request.jwt"])
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.hasPrefix("HTTP 201"))

            let replay = try await stack.tpp("register", ["--request-file", "request.jwt"])
            #expect(replay.status == 1)
            #expect(replay.stdout.hasPrefix("HTTP 400"), "\(replay)")
            #expect(replay.stdout.contains(#""error" : "invalid_client_metadata""#), "\(replay)")
            #expect(replay.stdout.contains("replay"), "\(replay)")
        }
    }
}
