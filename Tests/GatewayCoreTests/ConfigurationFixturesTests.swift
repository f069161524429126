import Foundation
import GatewayCore
import OpenBankingSandbox
import Testing

/// Helpers shared by the configuration tests: a temporary folder holding a freshly generated
/// sandbox PKI under `pki/` (nothing committed), and shortcuts to load text against it.
struct ConfigurationFixtures {
    /// The temporary folder; removed by ``remove()``.
    let directory: String
    /// The PKI written to `directory/pki`.
    let pki: SandboxPKI

    /// Creates a temporary folder and writes the shared (P-256) sandbox PKI into `pki/`.
    init() throws {
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("configuration-tests-\(UUID().uuidString)").path
        self.pki = try SandboxPKI.shared()
        try self.pki.write(to: self.path("pki"))
    }

    /// `directory/relative`.
    func path(_ relative: String) -> String {
        URL(fileURLWithPath: self.directory).appendingPathComponent(relative).standardizedFileURL.path
    }

    /// Writes `contents` to `directory/relative`, creating folders.
    func write(_ contents: String, to relative: String) throws {
        let url = URL(fileURLWithPath: self.path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Loads configuration text as if it were `directory/gateway.conf`.
    func load(_ contents: String, now: Date = Date()) throws(ConfigurationError) -> LoadedConfiguration {
        try ConfigurationLoader.load(contents: contents, baseDirectory: self.directory, sourceName: "gateway.conf", now: now)
    }

    /// The problems loading `contents` reports (empty if it loads).
    func problems(_ contents: String) -> [String] {
        do {
            _ = try self.load(contents)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// Removes the temporary folder.
    func remove() {
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// A valid listener using the sandbox server certificate; `extra` lines are appended.
    static func listener(_ extra: String = "") -> String {
        """
        [[listener]]
        name = "mtls"
        address = "127.0.0.1:0"
        certificate_chain = "pki/server-chain.pem"
        private_key = "pki/server.key"
        trust_roots = ["pki/root-ca.pem"]
        \(extra)

        """
    }

    /// A valid upstream named `as` and a route to it.
    static let upstreamAndRoute = """
        [[upstream]]
        name = "as"
        servers = ["http://127.0.0.1:9000"]

        [[route]]
        name = "all"
        path_prefix = "/"
        upstream = "as"

        """
}

@Suite("Configuration fixtures")
struct ConfigurationFixturesTests {
    @Test("the minimal fixture loads")
    func minimalFixtureLoads() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        #expect(fixtures.problems(ConfigurationFixtures.listener() + ConfigurationFixtures.upstreamAndRoute) == [])
    }
}
