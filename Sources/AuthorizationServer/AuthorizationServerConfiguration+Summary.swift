import X509

extension AuthorizationServerConfiguration {
    /// What `check-config` prints: every effective setting, defaults included, secrets never
    /// (the database password is redacted, keys and secret hashes are not shown).
    public var summary: String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append("  " + label.padding(toLength: 26, withPad: " ", startingAt: 0) + value)
        }
        lines.append("server:")
        row("address", self.server.address.description)
        row("issuer", self.server.issuer)
        row("trusted proxies", self.server.trustedProxies.isEmpty ? "(none)" : self.server.trustedProxies.map(\.description).joined(separator: ", "))
        row("authorization endpoint", self.server.authorizationEndpoint ?? "(not advertised)")
        row("mtls base url", self.server.mtlsBaseURL ?? "(issuer)")
        row("max body size", "\(self.server.maxBodySize) bytes")
        lines.append("database:")
        row("url", self.database.redactedURL)
        row("connect timeout", Self.render(self.database.connectTimeout))
        row("startup wait", self.database.startupWait == .zero ? "(fail at once)" : Self.render(self.database.startupWait))
        lines.append("registration:")
        row("audience", self.registration.audience.joined(separator: ", "))
        row("request max age", Self.render(self.registration.requestMaxAge))
        row("clock skew", Self.render(self.registration.clockSkew))
        row("ssa max age", Self.render(self.registration.ssaMaxAge))
        row("auth methods", self.registration.tokenEndpointAuthMethods.joined(separator: ", "))
        row("extended metadata", self.registration.extendedMetadata.joined(separator: ", "))
        row("transport trust roots", Self.subjects(self.registration.transportTrustRoots))
        row("transport intermediates", Self.subjects(self.registration.transportIntermediates))
        row("self-signed SSAs", self.registration.allowSelfSignedSSA ? "ACCEPTED (sandbox only)" : "refused")
        lines.append("directories:")
        for directory in self.directories {
            let source: String
            switch directory.jwks {
            case .url(let url): source = url
            case .file(let path): source = "file \(path)"
            }
            row(directory.name, "issuer \"\(directory.issuer)\", jwks \(source)")
        }
        lines.append("tokens:")
        row("signing key", "\(self.tokens.signingAlgorithm.name), kid \(self.tokens.signingKeyID)")
        row("access token lifetime", Self.render(self.tokens.accessTokenLifetime))
        lines.append("introspection:")
        row(
            "credentials",
            self.introspection.isEnabled ? self.introspection.credentials.map(\.name).joined(separator: ", ") : "(off)"
        )
        return lines.joined(separator: "\n")
    }

    /// A duration in the configuration file's grammar: `250ms`, `90s`, `10m`, `1h`.
    static func render(_ duration: Duration) -> String {
        let components = duration.components
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 {
            return "\(milliseconds)ms"
        }
        let seconds = milliseconds / 1000
        if seconds != 0, seconds % 3600 == 0 {
            return "\(seconds / 3600)h"
        }
        if seconds != 0, seconds % 60 == 0 {
            return "\(seconds / 60)m"
        }
        return "\(seconds)s"
    }

    /// `"CN=…", "CN=…"` or `(none)`.
    private static func subjects(_ certificates: [Certificate]) -> String {
        certificates.isEmpty ? "(none)" : certificates.map { "\"\($0.subject)\"" }.joined(separator: ", ")
    }
}
