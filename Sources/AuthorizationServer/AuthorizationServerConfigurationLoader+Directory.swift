import Foundation
import GatewayCore
import RegistrationCore
import TOMLKit

extension AuthorizationServerConfigurationLoader.Pass {
    /// Keys of each `[[directory]]`.
    static let directoryKeys = ["name", "issuer", "jwks", "trust_roots", "jwks_cache_ttl", "fetch_timeout"]

    /// Every `[[directory]]`: unique names and issuers (an SSA is matched to its directory by
    /// `iss`, so two directories with one issuer would make the key lookup ambiguous).
    func readDirectories(_ tables: [TOMLTable]) -> [DirectoryConfiguration] {
        var names: [String: String] = [:]
        var issuers: [String: String] = [:]
        var directories: [DirectoryConfiguration] = []
        for (index, table) in tables.enumerated() {
            var keyPath = "directory[\(index)]"
            if let name = table["name"]?.string {
                keyPath += " \(ConfigurationLoader.quoted(name))"
            }
            let reader = Reader(table: table, keyPath: keyPath, knownKeys: Self.directoryKeys, diagnostics: self.diagnostics)
            if let directory = self.readDirectory(reader, names: &names, issuers: &issuers) {
                directories.append(directory)
            }
        }
        return directories
    }

    /// One `[[directory]]`.
    private func readDirectory(
        _ reader: Reader,
        names: inout [String: String],
        issuers: inout [String: String]
    ) -> DirectoryConfiguration? {
        let name = self.readName(reader, seen: &names)
        var issuer = reader.string("issuer", required: true)
        if let text = issuer {
            if text.isEmpty {
                reader.problem("issuer", "must not be empty (the SSA iss, e.g. \"OpenBanking Ltd\")")
                issuer = nil
            } else if let first = issuers[text] {
                reader.problem("issuer", "duplicate issuer; \(ConfigurationLoader.quoted(text)) is already used by \(first)")
                issuer = nil
            } else {
                issuers[text] = reader.keyPath
            }
        }
        let jwks = reader.string("jwks", required: true).flatMap { self.readJWKSSource($0, at: reader.path("jwks")) }
        // trust_roots also secures the software JWKS fetched from each SSA's
        // software_jwks_endpoint (the directory's keystore host), so it matters with a local
        // directory JWKS file too.
        let trustRoots = self.readCertificateFiles(reader, key: "trust_roots")?.certificates ?? []
        let ttl = reader.duration("jwks_cache_ttl") ?? DirectoryConfiguration.defaultJWKSCacheTTL
        let timeout = reader.duration("fetch_timeout") ?? DirectoryConfiguration.defaultFetchTimeout
        reader.reportUnknownKeys()
        guard let name, let issuer, let jwks else { return nil }
        return DirectoryConfiguration(
            name: name,
            issuer: issuer,
            jwks: jwks,
            trustRoots: trustRoots,
            jwksCacheTTL: ttl,
            fetchTimeout: timeout
        )
    }

    /// `name`: letters, digits, `.`, `_`, `-` (it appears in logs), unique.
    private func readName(_ reader: Reader, seen: inout [String: String]) -> String? {
        guard let name = reader.string("name", required: true) else { return nil }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            reader.problem("name", "invalid name \(ConfigurationLoader.quoted(name)); use letters, digits, \".\", \"_\" and \"-\"")
            return nil
        }
        if let first = seen[name] {
            reader.problem("name", "duplicate name; \(ConfigurationLoader.quoted(name)) is already used by \(first)")
            return nil
        }
        seen[name] = reader.keyPath
        return name
    }

    /// `jwks`: an `https://` URL, or a local file path (relative to the configuration file).
    ///
    /// Why https only: directory keys decide which software statements are genuine; fetched over
    /// plain HTTP they could be replaced in transit. A local file that does not exist yet is a
    /// warning, not a problem: the sandbox writes it after the PKI (and it is re-read when the key
    /// cache expires). A file that exists must be a JWKS.
    private func readJWKSSource(_ text: String, at keyPath: String) -> JWKSSource? {
        let lowercased = text.lowercased()
        if lowercased.hasPrefix("https://") {
            return self.httpsURL(text, at: keyPath, isBase: false).map { .url($0) }
        }
        if lowercased.hasPrefix("http://") {
            self.diagnostics.problem(keyPath, "must be an https URL or a file path: keys fetched over plain HTTP could be replaced in transit")
            return nil
        }
        if lowercased.range(of: "^[a-z][a-z0-9+.-]*://", options: .regularExpression) != nil, !lowercased.hasPrefix("file://") {
            self.diagnostics.problem(keyPath, "unsupported URL scheme; use an https URL or a file path")
            return nil
        }
        guard !text.isEmpty else {
            self.diagnostics.problem(keyPath, "must be an https URL or a file path")
            return nil
        }
        let path = self.resolve(lowercased.hasPrefix("file://") ? String(text.dropFirst("file://".count)) : text)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            self.diagnostics.warning(
                keyPath,
                "JWKS file \(ConfigurationLoader.quoted(path)) does not exist yet; software statements from this directory are refused until it does"
            )
            return .file(path: path)
        }
        switch ConfigurationLoader.readTextFile(atPath: path) {
        case .failure(let failure):
            self.diagnostics.problem(keyPath, "cannot read \(ConfigurationLoader.quoted(path)): \(failure.reason)")
            return nil
        case .success(let contents):
            do {
                let set = try JSONWebKeySet(parsing: Array(contents.utf8))
                if set.keys.isEmpty {
                    self.diagnostics.warning(keyPath, "\(ConfigurationLoader.quoted(path)) holds no usable key")
                }
            } catch {
                self.diagnostics.problem(keyPath, "\(ConfigurationLoader.quoted(path)) is not a JWKS: \(error)")
                return nil
            }
        }
        return .file(path: path)
    }
}
