import Foundation
import TOMLKit

extension ConfigurationLoader {
    /// One validation pass over a parsed TOML document: walks every section, records every
    /// problem with its key path, loads TLS material, and builds the configuration only if nothing
    /// was wrong.
    final class Pass: ConfigurationPass {
        /// Top-level keys (`[gateway]`, `[[listener]]`, ...).
        static let rootKeys = ["gateway", "admin", "listener", "identity_headers", "upstream", "route"]

        /// Absolute folder that relative paths resolve against.
        let baseDirectory: String
        /// The clock for certificate-expiry warnings.
        let now: Date
        /// Problems and warnings found so far.
        let diagnostics = Diagnostics()

        /// Creates a pass.
        init(baseDirectory: String, now: Date) {
            self.baseDirectory = baseDirectory
            self.now = now
        }

        /// Validates `root`; returns `nil` when any problem was recorded.
        func run(root: TOMLTable, sourcePath: String) -> GatewayConfiguration? {
            let reader = TableReader(table: root, keyPath: "", knownKeys: Self.rootKeys, diagnostics: self.diagnostics)

            let gateway = reader.subtable("gateway", knownKeys: Self.gatewayKeys).map(self.readGateway)
            let admin = reader.subtable("admin", knownKeys: Self.adminKeys).flatMap(self.readAdmin)

            let listeners = self.readListeners(reader.tableArray("listener"))
            if reader.value("listener") == nil {
                self.diagnostics.problem("listener", "at least one [[listener]] is required")
            }
            self.checkAdminAddress(admin, against: listeners)

            let identityHeaders = reader.subtable("identity_headers", knownKeys: Self.identityHeadersKeys)
                .map(self.readIdentityHeaders)

            let upstreamTables = reader.tableArray("upstream")
            let upstreams = self.readUpstreams(upstreamTables)

            let routeTables = reader.tableArray("route")
            let upstreamNames = upstreamTables.compactMap { $0["name"]?.string }
            let routes = self.readRoutes(routeTables, upstreamNames: upstreamNames)
            if reader.value("route") == nil {
                self.diagnostics.problem("route", "at least one [[route]] is required")
            }
            reader.reportUnknownKeys()

            guard self.diagnostics.problems.isEmpty else {
                return nil
            }
            self.warnAboutUnusedUpstreams(upstreams, routes: routes)
            self.warnAboutUnsatisfiableRoutes(routes, listeners: listeners)
            return GatewayConfiguration(
                sourcePath: sourcePath,
                gateway: gateway ?? GatewaySettings(),
                admin: admin,
                listeners: listeners,
                identityHeaders: identityHeaders ?? IdentityHeadersConfiguration(),
                upstreams: upstreams,
                routes: routes
            )
        }

        /// A reader for element `index` of an array of tables, whose key path is
        /// `kind[index] "name"` when the element has a string `name`.
        func elementReader(_ table: TOMLTable, kind: String, index: Int, knownKeys: [String]) -> TableReader {
            var keyPath = "\(kind)[\(index)]"
            if let name = table["name"]?.string {
                keyPath += " \(ConfigurationLoader.quoted(name))"
            }
            return TableReader(table: table, keyPath: keyPath, knownKeys: knownKeys, diagnostics: self.diagnostics)
        }

        /// Reads and checks the `name` of an array-of-tables element: required, made of letters,
        /// digits, `.`, `_`, `-` (it appears in logs and metric labels), unique per kind.
        func readName(_ reader: TableReader, seen: inout [String: String]) -> String? {
            guard let name = reader.string("name", required: true) else { return nil }
            guard !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
            else {
                reader.problem(
                    "name",
                    "invalid name \(ConfigurationLoader.quoted(name)); use letters, digits, \".\", \"_\" and \"-\""
                )
                return nil
            }
            if let first = seen[name] {
                reader.problem(
                    "name",
                    "duplicate name; \(ConfigurationLoader.quoted(name)) is already used by \(first)"
                )
                return nil
            }
            seen[name] = reader.keyPath
            return name
        }
    }
}
