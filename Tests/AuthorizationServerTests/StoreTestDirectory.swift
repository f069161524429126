import Foundation
import OpenBankingSandbox

/// A temporary folder for configuration, PKI and database files, removed by ``remove()``.
struct StoreTestDirectory {
    /// The repository root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The folder's absolute path.
    let path: String

    /// A new empty folder.
    init(_ label: String = "as-store") throws {
        self.path = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))").standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    /// A new folder with the shared sandbox PKI written to `pki/`, as `ob-sandbox pki init --out pki`.
    static func withPKI(_ label: String = "as-conf") throws -> StoreTestDirectory {
        let directory = try StoreTestDirectory(label)
        try SandboxPKI.shared().write(to: directory.file("pki"))
        return directory
    }

    /// The absolute path of `name` inside the folder.
    func file(_ name: String) -> String {
        self.path + "/" + name
    }

    /// Writes `text` to `name` (creating folders) and returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let target = self.file(name)
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: target).deletingLastPathComponent().path,
            withIntermediateDirectories: true
        )
        try text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// Deletes the folder.
    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// A small valid configuration over the `pki/` folder with the given database URL.
    static func minimalConfiguration(databaseURL: String = "sqlite:data/as.sqlite") -> String {
        """
        [server]
        address = "127.0.0.1:0"
        issuer = "https://as.example.com"
        trusted_proxies = ["127.0.0.1/32"]
        [database]
        url = "\(databaseURL)"
        [registration]
        audience = ["0015800000jfwxXAAQ"]
        transport_trust_roots = ["pki/root-ca.pem"]
        [[directory]]
        name = "OpenBanking"
        issuer = "OpenBanking Ltd"
        jwks = "https://keystore.openbankingtest.org.uk/keystore/openbanking.jwks"
        [tokens]
        signing_key = "pki/as-signing.key"
        """
    }
}
