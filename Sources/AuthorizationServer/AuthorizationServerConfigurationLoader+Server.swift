import Foundation
import GatewayCore

extension AuthorizationServerConfigurationLoader.Pass {
    /// Keys of `[server]`.
    static let serverKeys = [
        "address", "issuer", "trusted_proxies", "authorization_endpoint", "mtls_base_url", "max_body_size",
    ]
    /// Keys of `[database]`.
    static let databaseKeys = ["url", "password_env", "connect_timeout", "max_connections", "startup_wait"]

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
        let startupWait = reader.duration("startup_wait", allowZero: true) ?? .zero
        let password = self.readPasswordEnvironment(reader, url: settings)
        reader.reportUnknownKeys()
        guard var settings else { return nil }
        if let password, case .postgres(var postgres) = settings.kind {
            postgres.password = password
            settings.kind = .postgres(postgres)
        }
        settings.connectTimeout = connectTimeout
        settings.maxConnections = maxConnections
        settings.startupWait = startupWait
        return settings
    }

    /// `password_env`: the name of an environment variable holding the PostgreSQL password, so
    /// that the password stays out of the file (containers pass it from a secret store).
    /// Refused with SQLite, with a password also in `url`, and when the variable is unset or
    /// empty: each is a configuration problem, reported with the others before start-up.
    private func readPasswordEnvironment(
        _ reader: AuthorizationServerConfigurationLoader.Reader,
        url settings: DatabaseSettings?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        guard let name = reader.string("password_env") else { return nil }
        guard let settings else { return nil }
        guard case .postgres(let postgres) = settings.kind else {
            reader.problem("password_env", "only PostgreSQL URLs take a password")
            return nil
        }
        guard postgres.password == nil else {
            reader.problem("password_env", "the url already contains a password; keep it in one place")
            return nil
        }
        guard let value = environment[name], !value.isEmpty else {
            reader.problem("password_env", "the environment variable \(name) is not set (or is empty)")
            return nil
        }
        return value
    }
}
