import MTLSIdentity

extension ConfigurationLoader.Pass {
    /// Keys of `[gateway]`.
    static let gatewayKeys = [
        "access_log", "access_log_format", "drain_timeout", "max_header_size", "handshake_timeout",
        "request_header_timeout", "idle_timeout", "max_connections", "trusted_downstream",
    ]
    /// Keys of `[admin]`.
    static let adminKeys = ["address"]
    /// Keys of `[identity_headers]`.
    static let identityHeadersKeys = ["forward", "dn_format"]

    /// `[gateway]`; absent keys take their defaults.
    func readGateway(_ reader: ConfigurationLoader.TableReader) -> GatewaySettings {
        let defaults = GatewaySettings()
        var settings = defaults
        if let accessLog = reader.string("access_log") {
            if accessLog == "stdout" {
                settings.accessLog = .stdout
            } else if accessLog.isEmpty {
                reader.problem("access_log", "must be a file path or \"stdout\"")
            } else {
                settings.accessLog = .file(path: self.resolve(accessLog))
            }
        }
        settings.accessLogFormat =
            reader.choice("access_log_format", as: AccessLogFormat.self) ?? defaults.accessLogFormat
        settings.drainTimeout = reader.duration("drain_timeout") ?? defaults.drainTimeout
        settings.maxHeaderSize = reader.byteSize("max_header_size") ?? defaults.maxHeaderSize
        settings.handshakeTimeout = reader.duration("handshake_timeout") ?? defaults.handshakeTimeout
        settings.requestHeaderTimeout = reader.duration("request_header_timeout") ?? defaults.requestHeaderTimeout
        settings.idleTimeout = reader.duration("idle_timeout") ?? defaults.idleTimeout
        settings.maxConnections = reader.integer("max_connections", minimum: 1) ?? defaults.maxConnections
        if let entries = reader.stringArray("trusted_downstream") {
            settings.trustedDownstream = entries.compactMap { entry in
                self.parse(entry.value, at: entry.keyPath) { text throws(ConfigurationValueError) in
                    try CIDR(parsing: text)
                }
            }
        }
        reader.reportUnknownKeys()
        return settings
    }

    /// `[admin]`; `address` is required.
    func readAdmin(_ reader: ConfigurationLoader.TableReader) -> AdminSettings? {
        let address = reader.string("address", required: true).flatMap { text in
            self.parse(text, at: reader.path("address")) { text throws(ConfigurationValueError) in
                try SocketAddressSpec(parsing: text)
            }
        }
        reader.reportUnknownKeys()
        return address.map { AdminSettings(address: $0) }
    }

    /// `[identity_headers]`; absent keys take their defaults. A profile listed twice is an
    /// error (almost certainly a typo for another one).
    func readIdentityHeaders(_ reader: ConfigurationLoader.TableReader) -> IdentityHeadersConfiguration {
        var configuration = IdentityHeadersConfiguration()
        if let entries = reader.array("forward") {
            var profiles: [IdentityHeaderProfile] = []
            for entry in entries {
                guard
                    let profile = ConfigurationLoader.TableReader.choice(
                        entry.value,
                        as: IdentityHeaderProfile.self,
                        at: entry.keyPath,
                        diagnostics: self.diagnostics
                    )
                else { continue }
                if profiles.contains(profile) {
                    let quotedProfile = ConfigurationLoader.quoted(profile.rawValue)
                    self.diagnostics.problem(entry.keyPath, "\(quotedProfile) is listed twice")
                    continue
                }
                profiles.append(profile)
            }
            configuration.forward = profiles
        }
        configuration.dnFormat = reader.choice("dn_format", as: DNFormat.self) ?? configuration.dnFormat
        reader.reportUnknownKeys()
        return configuration
    }

    /// The admin endpoint must not collide with a listener (port 0 excepted: each gets its own).
    func checkAdminAddress(_ admin: AdminSettings?, against listeners: [ListenerConfiguration]) {
        guard let admin, admin.address.port != 0,
            let listener = listeners.first(where: { $0.address == admin.address })
        else { return }
        self.diagnostics.problem(
            "admin.address",
            "\(admin.address) is also the address of listener \(ConfigurationLoader.quoted(listener.name))"
        )
    }
}
