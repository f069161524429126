import GatewayCore

extension AuthorizationServerConfigurationLoader.Pass {
    /// Keys of `[server]`.
    static let serverKeys = [
        "address", "issuer", "trusted_proxies", "authorization_endpoint", "mtls_base_url", "max_body_size",
    ]
    /// Keys of `[database]`.
    static let databaseKeys = ["url", "connect_timeout", "max_connections"]

    /// `[server]`; `address` and `issuer` are required.
    func readServer(_ reader: AuthorizationServerConfigurationLoader.Reader) -> ServerSettings? {
        let address = reader.string("address", required: true).flatMap { text in
            self.parse(text, at: reader.path("address")) { text throws(ConfigurationValueError) in
                try SocketAddressSpec(parsing: text)
            }
        }
        let issuer = reader.string("issuer", required: true).flatMap {
            self.httpsURL($0, at: reader.path("issuer"), isBase: true)
        }
        var trustedProxies: [CIDR] = []
        if let entries = reader.stringArray("trusted_proxies") {
            trustedProxies = entries.compactMap { entry in
                self.parse(entry.value, at: entry.keyPath) { text throws(ConfigurationValueError) in
                    try CIDR(parsing: text)
                }
            }
        }
        let configuredProxies = reader.table["trusted_proxies"]
        if configuredProxies == nil || configuredProxies?.array?.isEmpty == true {
            self.diagnostics.warning(
                reader.path("trusted_proxies"),
                "no trusted proxy: identity headers are ignored, so no client can register or authenticate with a certificate"
            )
        }
        let authorizationEndpoint = reader.string("authorization_endpoint").flatMap {
            self.httpsURL($0, at: reader.path("authorization_endpoint"), isBase: false)
        }
        let mtlsBaseURL = reader.string("mtls_base_url").flatMap {
            self.httpsURL($0, at: reader.path("mtls_base_url"), isBase: true)
        }
        let maxBodySize = reader.byteSize("max_body_size") ?? ServerSettings.defaultMaxBodySize
        reader.reportUnknownKeys()
        guard let address, let issuer else { return nil }
        return ServerSettings(
            address: address,
            issuer: issuer,
            trustedProxies: trustedProxies,
            authorizationEndpoint: authorizationEndpoint,
            mtlsBaseURL: mtlsBaseURL,
            maxBodySize: maxBodySize
        )
    }

    /// `[database]`; `url` is required (see ``DatabaseSettings`` for its forms).
    func readDatabase(_ reader: AuthorizationServerConfigurationLoader.Reader) -> DatabaseSettings? {
        let settings = reader.string("url", required: true).flatMap { url in
            self.parse(url, at: reader.path("url")) { url throws(ConfigurationValueError) in
                try DatabaseSettings(url: url, baseDirectory: self.baseDirectory)
            }
        }
        let connectTimeout = reader.duration("connect_timeout") ?? DatabaseSettings.defaultConnectTimeout
        let maxConnections = reader.integer("max_connections", minimum: 1) ?? DatabaseSettings.defaultMaxConnections
        reader.reportUnknownKeys()
        guard var settings else { return nil }
        settings.connectTimeout = connectTimeout
        settings.maxConnections = maxConnections
        return settings
    }
}
