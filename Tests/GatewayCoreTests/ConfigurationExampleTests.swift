import Foundation
import GatewayCore
import Testing

@Suite("gateway.conf.example")
struct ConfigurationExampleTests {
    /// The repository root: three levels above this file (Tests/GatewayCoreTests/<file>).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("loads without problems next to a generated PKI")
    func exampleLoads() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let example = try String(
            contentsOf: Self.repositoryRoot.appendingPathComponent("gateway.conf.example"),
            encoding: .utf8
        )
        try fixtures.write(example, to: "gateway.conf")
        let loaded = try ConfigurationLoader.load(path: fixtures.path("gateway.conf"))
        let configuration = loaded.configuration
        #expect(loaded.warnings == [])
        #expect(configuration.listeners.map(\.name) == ["mtls"])
        #expect(configuration.listeners.first?.clientCertificate == .optional)
        #expect(configuration.listeners.first?.trustRoots == [fixtures.pki.root.certificate])
        #expect(configuration.listeners.first?.intermediates == [fixtures.pki.issuingCA.certificate])
        #expect(configuration.admin?.address.description == "127.0.0.1:9901")
        #expect(configuration.gateway.accessLog == .file(path: fixtures.path("logs/access.log")))
        #expect(configuration.upstreams.map(\.name) == ["authorization-server", "resource-server"])
        #expect(configuration.routes.map(\.name) == ["discovery", "jwks", "registration", "token", "open-banking"])
        let requirements = configuration.routes.map { $0.clientCertificate?.rawValue ?? "inherit" }
        #expect(requirements == ["optional", "optional", "required", "required", "required"])
        #expect(configuration.routes.last?.upstream == "resource-server")
    }
}
