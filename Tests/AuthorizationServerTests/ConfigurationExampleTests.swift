import AuthorizationServer
import Foundation
import GatewayCore
import OpenBankingSandbox
import RegistrationCore
import Testing

@Suite("authorization-server.conf.example")
struct ConfigurationExampleTests {
    /// The example as shipped, copied next to a generated PKI.
    static func exampleNextToPKI() throws -> (StoreTestDirectory, String) {
        let directory = try StoreTestDirectory.withPKI("as-example")
        let example = try String(
            contentsOfFile: StoreTestDirectory.repositoryRoot + "/authorization-server.conf.example",
            encoding: .utf8
        )
        return (directory, try directory.write(example, to: "authorization-server.conf"))
    }

    @Test("loads as is; the only warning is the directory JWKS file the sandbox has not written yet")
    func loadsWithMissingJWKSWarning() throws {
        let (directory, path) = try Self.exampleNextToPKI()
        defer { directory.remove() }
        let loaded = try AuthorizationServerConfigurationLoader.loadReportingWarnings(path: path)
        let jwksPath = directory.file("pki/directory.jwks")
        #expect(loaded.warnings == [
            "directory[0] \"OpenBanking\".jwks: JWKS file \"\(jwksPath)\" does not exist yet; "
                + "software statements from this directory are refused until it does"
        ])
        let configuration = loaded.configuration
        let pki = try SandboxPKI.shared()
        #expect(configuration.sourcePath == path)
        #expect(configuration.server.address.description == "127.0.0.1:9000")
        #expect(configuration.server.issuer == "https://localhost:8443")
        #expect(configuration.server.trustedProxies.map(\.description) == ["127.0.0.1/32", "::1/128"])
        #expect(configuration.server.trustsProxy(ipAddress: "127.0.0.1"))
        #expect(!configuration.server.trustsProxy(ipAddress: "10.0.0.1"))
        #expect(configuration.server.maxBodySize == 64 * 1024)
        #expect(configuration.server.authorizationEndpoint == nil)
        #expect(configuration.database.kind == .sqlite(path: directory.file("data/authorization-server.sqlite")))
        #expect(configuration.registration.audience == ["0015800001041REAAY"])
        #expect(configuration.registration.requestMaxAge == .seconds(3600))
        #expect(configuration.registration.clockSkew == .seconds(60))
        #expect(configuration.registration.ssaMaxAge == .seconds(1800))
        #expect(configuration.registration.tokenEndpointAuthMethods == ["tls_client_auth", "private_key_jwt", "client_secret_basic"])
        #expect(configuration.registration.transportTrustRoots == [pki.root.certificate])
        #expect(configuration.registration.transportIntermediates == [pki.issuingCA.certificate])
        #expect(!configuration.registration.allowSelfSignedSSA)
        #expect(configuration.directories.map(\.name) == ["OpenBanking"])
        #expect(configuration.directory(issuer: "OpenBanking Ltd")?.jwks == .file(path: jwksPath))
        #expect(configuration.tokens.accessTokenLifetime == .seconds(600))
        #expect(configuration.tokens.signingKey.publicKey == pki.asSigningKey.publicKey)
        #expect(!configuration.introspection.isEnabled)
    }

    @Test("no warning once the sandbox has written the directory JWKS")
    func loadsCleanWithJWKS() throws {
        let (directory, path) = try Self.exampleNextToPKI()
        defer { directory.remove() }
        let signer = JWSSigner(key: .p256(.init()), keyID: "directory-kid")
        let jwks = JSONWebKeySet(keys: [try signer.publicJWK()]).json.serialized()
        try directory.write(jwks, to: "pki/directory.jwks")
        let loaded = try AuthorizationServerConfigurationLoader.loadReportingWarnings(path: path)
        #expect(loaded.warnings == [])
    }

    @Test("a JWKS file that exists but is not a JWKS is a problem")
    func malformedJWKSFile() throws {
        let (directory, path) = try Self.exampleNextToPKI()
        defer { directory.remove() }
        try directory.write("{\"not\": \"a jwks\"}", to: "pki/directory.jwks")
        let error = #expect(throws: ConfigurationError.self) {
            try AuthorizationServerConfigurationLoader.load(path: path)
        }
        #expect(error?.problems.map(\.keyPath) == ["directory[0] \"OpenBanking\".jwks"])
        #expect(error?.description.contains("is not a JWKS") == true)
    }
}
