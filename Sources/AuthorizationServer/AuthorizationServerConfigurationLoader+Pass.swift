import Foundation
import GatewayCore
import TOMLKit

extension AuthorizationServerConfigurationLoader {
    /// The gateway's table reader: typed getters that record problems at key paths.
    typealias Reader = ConfigurationLoader.TableReader

    /// One validation pass over a parsed document: every section read, every problem recorded,
    /// the configuration built only when nothing was wrong.
    final class Pass: ConfigurationPass {
        /// Top-level keys, in file-contract order.
        static let rootKeys = ["server", "database", "registration", "directory", "tokens", "introspection"]

        /// Absolute folder that relative paths resolve against.
        let baseDirectory: String
        /// The clock for certificate-expiry warnings.
        let now: Date
        /// Problems and warnings found so far.
        let diagnostics = ConfigurationLoader.Diagnostics()

        /// Creates a pass.
        init(baseDirectory: String, now: Date) {
            self.baseDirectory = baseDirectory
            self.now = now
        }

        /// Validates `root`; `nil` when any problem was recorded.
        func run(root: TOMLTable, sourcePath: String) -> AuthorizationServerConfiguration? {
            let reader = Reader(table: root, keyPath: "", knownKeys: Self.rootKeys, diagnostics: self.diagnostics)

            let server = self.requiredSection(reader, "server", knownKeys: Self.serverKeys).flatMap(self.readServer)
            let database = self.requiredSection(reader, "database", knownKeys: Self.databaseKeys).flatMap(self.readDatabase)
            let registration = self.requiredSection(reader, "registration", knownKeys: Self.registrationKeys)
                .flatMap(self.readRegistration)
            let directories = self.readDirectories(reader.tableArray("directory"))
            if reader.value("directory") == nil {
                self.diagnostics.problem("directory", "at least one [[directory]] is required")
            }
            let tokens = self.requiredSection(reader, "tokens", knownKeys: Self.tokensKeys).flatMap(self.readTokens)
            let introspection = reader.subtable("introspection", knownKeys: Self.introspectionKeys)
                .map(self.readIntrospection)
            reader.reportUnknownKeys()

            guard self.diagnostics.problems.isEmpty, let server, let database, let registration, let tokens else {
                return nil
            }
            return AuthorizationServerConfiguration(
                sourcePath: sourcePath,
                server: server,
                database: database,
                registration: registration,
                directories: directories,
                tokens: tokens,
                introspection: introspection ?? IntrospectionSettings()
            )
        }

        /// The reader of a required `[section]`, or a recorded problem.
        func requiredSection(_ reader: Reader, _ key: String, knownKeys: [String]) -> Reader? {
            if reader.value(key) == nil {
                self.diagnostics.problem(key, "required section [\(key)] is missing")
                return nil
            }
            return reader.subtable(key, knownKeys: knownKeys)
        }

        /// The elements of a string array that are non-empty and not repeated; the others are
        /// recorded as problems.
        func distinctStrings(_ reader: Reader, _ key: String, required: Bool = false) -> [String]? {
            guard let entries = reader.stringArray(key, required: required) else { return nil }
            var values: [String] = []
            for entry in entries {
                if entry.value.isEmpty {
                    self.diagnostics.problem(entry.keyPath, "must not be empty")
                } else if values.contains(entry.value) {
                    self.diagnostics.problem(entry.keyPath, "\(ConfigurationLoader.quoted(entry.value)) is listed twice")
                } else {
                    values.append(entry.value)
                }
            }
            return values
        }

        /// An `https://host[:port][/path]` URL without query, fragment or user info; a trailing
        /// slash is removed when `isBase` (URLs other paths are appended to).
        ///
        /// Why https only: these URLs are the issuer and endpoints clients send credentials and
        /// certificates to (RFC 8414 §2: the issuer uses https).
        func httpsURL(_ text: String, at keyPath: String, isBase: Bool) -> String? {
            guard let components = URLComponents(string: text), components.scheme?.lowercased() == "https",
                let host = components.host, !host.isEmpty
            else {
                self.diagnostics.problem(keyPath, "must be an https URL such as \"https://as.example.com\", got \(ConfigurationLoader.quoted(text))")
                return nil
            }
            guard components.query == nil, components.fragment == nil, components.user == nil else {
                self.diagnostics.problem(keyPath, "must not contain a query, a fragment or user info")
                return nil
            }
            var url = text
            while isBase, url.hasSuffix("/") {
                url.removeLast()
            }
            return url
        }
    }
}
