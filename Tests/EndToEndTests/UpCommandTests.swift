import Foundation
import Testing

/// `ob-sandbox up` as a newcomer runs it: the whole flow in one process, then the errors they
/// are most likely to meet.
@Suite("ob-sandbox up")
struct UpCommandTests {
    static let allPortsZero = [
        "--gateway-port", "0", "--directory-port", "0", "--as-port", "0", "--resource-port", "0", "--admin-port", "0",
    ]

    @Test("up --exit-after-demo runs every step through the gateway and exits 0")
    func demoSucceeds() async throws {
        #expect(Executables.missing.isEmpty, "build first: swift build --build-tests")
        let workspace = try Workspace.make("up")
        defer { workspace.remove() }
        let started = Date()
        let result = try await Executables.obSandbox(["up", "--exit-after-demo"] + Self.allPortsZero, in: workspace.path)
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result)")
        let output = result.stdout
        #expect(output.contains("Created a sandbox PKI"))
        for (index, step) in [
            "ok         SSA from the sandbox directory",
            "ok 201     POST /register over MTLS: client_id=",
            "ok 200     POST /token (tls_client_auth): token_type=Bearer",
            "ok 200     GET /open-banking/v3.1/aisp/accounts with the token: 2 accounts",
            "ok 401     same token, another client certificate: refused as it should be: the token is bound to another certificate",
            "ok 200     GET /register/{client_id}: client_id=",
        ].enumerated() {
            #expect(output.contains("[\(index + 1)/6] \(step)"), "step \(index + 1) missing from:\n\(output)")
        }
        #expect(output.contains("All 6 steps succeeded."))
        // The access-log lines of the run are printed: one per request, five requests.
        let printed = output.split(separator: "\n").filter { $0.hasPrefix("  {\"time\"") }
        #expect(printed.count == 5, "\(output)")
        // Everything it wrote stays in the sandbox folder for the next run.
        for file in ["pki/root-ca.pem", "gateway.conf", "authorization-server.conf", "data/as.sqlite", "logs/access.log"] {
            #expect(FileManager.default.fileExists(atPath: workspace.file(".sandbox/\(file)")), "\(file)")
        }
        #expect(workspace.read(".sandbox/logs/access.log").split(separator: "\n").count == 5)

        // A second run reuses the PKI and the database (a second registration of the software).
        let again = try await Executables.obSandbox(["up", "--exit-after-demo"] + Self.allPortsZero, in: workspace.path)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("Using the sandbox PKI in .sandbox/pki."))
        #expect(workspace.read(".sandbox/logs/access.log").split(separator: "\n").count == 10)
        print("e2e timing: ob-sandbox up --exit-after-demo (PKI generation included) took \(String(format: "%.1f", elapsed)) s")
    }

    @Test("a port in use, duplicate ports and a damaged sandbox are one sentence and a non-zero exit")
    func newcomerErrors() async throws {
        let workspace = try Workspace.make("up-errors")
        defer { workspace.remove() }
        _ = try await SharedPKI.copy(into: workspace)
        try FileManager.default.createDirectory(atPath: workspace.file("sb"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: workspace.file("pki"), toPath: workspace.file("sb/pki"))

        // Something already listens on the port given to the gateway: the directory of another run.
        let other = try RunningProcess(Executables.obSandbox, ["directory", "serve", "--port", "0", "--pki", "pki"], in: workspace.path)
        let taken = try await other.waitForPort("listening on https://localhost:[0-9]+", in: .stdout)
        var ports = Self.allPortsZero
        ports[1] = "\(taken)"
        let inUse = try await Executables.obSandbox(["up", "--exit-after-demo", "--dir", "sb"] + ports, in: workspace.path)
        _ = await other.terminate()
        #expect(inUse.status != 0)
        #expect(Self.oneSentence(inUse.stderr).contains("Port \(taken) for the gateway is already in use"), "\(inUse)")
        #expect(inUse.stderr.contains("--gateway-port"))

        // Checked before anything binds or is generated: these ports are never opened.
        let duplicate = try await Executables.obSandbox(
            ["up", "--exit-after-demo", "--dir", "sb", "--gateway-port", "9443", "--as-port", "9443"],
            in: workspace.path
        )
        #expect(duplicate.status != 0)
        #expect(Self.oneSentence(duplicate.stderr).contains("--gateway-port"), "\(duplicate)")
        #expect(duplicate.stderr.contains("--as-port"))

        // A PKI file was damaged: the message names it and the `rm -rf` that starts afresh.
        try FileManager.default.createDirectory(atPath: workspace.file("damaged"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: workspace.file("pki"), toPath: workspace.file("damaged/pki"))
        try workspace.write("not a certificate\n", to: "damaged/pki/root-ca.pem")
        let damaged = try await Executables.obSandbox(["up", "--exit-after-demo", "--dir", "damaged"] + Self.allPortsZero, in: workspace.path)
        #expect(damaged.status != 0)
        let sentence = Self.oneSentence(damaged.stderr)
        #expect(sentence.contains("root-ca.pem"), "\(damaged)")
        #expect(sentence.contains("rm -rf damaged"), "\(damaged)")
    }

    /// Standard error must be exactly one `Error: …` line (no stack trace, no log noise).
    static func oneSentence(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1, "expected one line on stderr, got:\n\(stderr)")
        #expect(lines.first?.hasPrefix("Error: ") == true)
        return lines.first.map(String.init) ?? ""
    }
}
