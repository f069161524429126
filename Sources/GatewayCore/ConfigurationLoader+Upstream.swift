import TOMLKit

extension ConfigurationLoader.Pass {
    /// Keys of `[[upstream]]`.
    static let upstreamKeys = [
        "name", "servers", "connect_timeout", "response_timeout", "tls", "max_idle_connections", "idle_timeout",
    ]
    /// Keys of `[upstream.tls]`.
    static let upstreamTLSKeys = ["trust_roots", "certificate_chain", "private_key", "server_name"]

    /// Every `[[upstream]]` that validated; problems for the rest.
    func readUpstreams(_ tables: [TOMLTable]) -> [UpstreamConfiguration] {
        var names: [String: String] = [:]
        return tables.enumerated().compactMap { (index, table) in
            let reader = self.elementReader(table, kind: "upstream", index: index, knownKeys: Self.upstreamKeys)
            return self.readUpstream(reader, names: &names)
        }
    }

    /// One `[[upstream]]`. All servers must share a scheme, and `[upstream.tls]` is only allowed
    /// with `https` servers, so that nobody believes traffic is encrypted when it is not.
    func readUpstream(
        _ reader: ConfigurationLoader.TableReader,
        names: inout [String: String]
    ) -> UpstreamConfiguration? {
        let name = self.readName(reader, seen: &names)
        var servers: [UpstreamServer]?
        if let entries = reader.stringArray("servers", required: true) {
            let parsed = entries.compactMap { entry in
                self.parse(entry.value, at: entry.keyPath) { text throws(ConfigurationValueError) in
                    try UpstreamServer(parsing: text)
                }
            }
            if reader.value("servers")?.array?.isEmpty == true {
                reader.problem("servers", "at least one server is required")
            } else if Set(parsed.map(\.scheme)).count > 1 {
                reader.problem("servers", "mixes http:// and https:// servers; use one upstream per scheme")
            } else if parsed.count == entries.count {
                servers = parsed
            }
        }
        let connectTimeout = reader.duration("connect_timeout")
        let responseTimeout = reader.duration("response_timeout")
        let tlsReader = reader.subtable("tls", knownKeys: Self.upstreamTLSKeys)
        let tls = tlsReader.map(self.readUpstreamTLS)
        if tlsReader != nil, let servers, servers.allSatisfy({ $0.scheme == .http }) {
            reader.problem("tls", "only allowed when the servers use https://")
        }
        let maxIdleConnections = reader.integer("max_idle_connections", minimum: 0)
        let idleTimeout = reader.duration("idle_timeout")
        reader.reportUnknownKeys()

        guard let name, let servers else { return nil }
        return UpstreamConfiguration(
            name: name,
            servers: servers,
            connectTimeout: connectTimeout ?? .seconds(5),
            responseTimeout: responseTimeout ?? .seconds(60),
            tls: tls,
            maxIdleConnectionsPerServer: maxIdleConnections ?? 64,
            idleTimeout: idleTimeout ?? .seconds(60)
        )
    }

    /// `[upstream.tls]`: trust roots, optional client identity (both files or neither, key
    /// matching the certificate) and an optional verification name.
    func readUpstreamTLS(_ reader: ConfigurationLoader.TableReader) -> UpstreamTLSConfiguration {
        var configuration = UpstreamTLSConfiguration()
        if let trustRoots = self.readCertificateFiles(reader, key: "trust_roots") {
            configuration.trustRootPaths = trustRoots.paths
            configuration.trustRoots = trustRoots.certificates
        }
        let chainPath = reader.string("certificate_chain").map(self.resolve)
        let keyPath = reader.string("private_key").map(self.resolve)
        if reader.value("certificate_chain") != nil, reader.value("private_key") == nil {
            reader.problem("private_key", "required when certificate_chain is set")
        }
        if reader.value("private_key") != nil, reader.value("certificate_chain") == nil {
            reader.problem("certificate_chain", "required when private_key is set")
        }
        let chain = chainPath.flatMap { self.loadCertificates(atPath: $0, keyPath: reader.path("certificate_chain")) }
        let key = keyPath.flatMap { self.loadPrivateKey(atPath: $0, keyPath: reader.path("private_key")) }
        if let leaf = chain?.first {
            self.warnAboutPresentedCertificate(leaf, keyPath: reader.path("certificate_chain"))
            if let key {
                self.checkPrivateKey(key, matches: leaf, keyPath: reader.path("private_key"))
            }
        }
        configuration.certificateChainPath = chainPath
        configuration.privateKeyPath = keyPath
        configuration.certificateChain = chain ?? []
        if let serverName = reader.string("server_name") {
            if IPAddressText.parseIPv4(serverName) != nil || HostSyntax.isDNSName(serverName) {
                configuration.serverName = serverName.lowercased()
            } else {
                reader.problem("server_name", "\(ConfigurationLoader.quoted(serverName)) is not a valid host name")
            }
        }
        reader.reportUnknownKeys()
        return configuration
    }
}
