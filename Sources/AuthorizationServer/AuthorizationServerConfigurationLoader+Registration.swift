import GatewayCore
import RegistrationCore

extension AuthorizationServerConfigurationLoader.Pass {
    /// Keys of `[registration]`.
    static let registrationKeys = [
        "audience", "request_max_age", "clock_skew", "ssa_max_age", "token_endpoint_auth_methods",
        "extended_metadata", "transport_trust_roots", "transport_intermediates", "allow_self_signed_ssa",
    ]

    /// The SSA claims `extended_metadata` may name (open-banking.md §6).
    static let softwareStatementClaims = [
        "iss", "iat", "jti", "software_id", "software_client_id", "software_client_name",
        "software_client_description", "software_version", "software_client_uri", "software_redirect_uris",
        "software_roles", "software_environment", "software_mode", "software_jwks_endpoint",
        "software_jwks_revoked_endpoint", "software_logo_uri", "software_policy_uri", "software_tos_uri",
        "software_on_behalf_of_org", "organisation_competent_authority_claims", "org_status", "org_id",
        "org_name", "org_contacts", "org_jwks_endpoint", "org_jwks_revoked_endpoint",
    ]

    /// `[registration]`; `audience` and `transport_trust_roots` are required.
    func readRegistration(_ reader: AuthorizationServerConfigurationLoader.Reader) -> RegistrationSettings? {
        let audience = self.distinctStrings(reader, "audience", required: true)
        if let audience, audience.isEmpty, reader.table["audience"]?.array?.isEmpty == true {
            reader.problem("audience", "must list at least one accepted aud value (the ASPSP's Open Banking org id)")
        }
        let requestMaxAge = reader.duration("request_max_age") ?? .seconds(3600)
        let clockSkew = reader.duration("clock_skew", allowZero: true) ?? .seconds(60)
        let ssaMaxAge = reader.duration("ssa_max_age") ?? .seconds(1800)
        let methods = self.readAuthMethods(reader) ?? RegistrationSettings.defaultTokenEndpointAuthMethods
        let extendedMetadata = self.readExtendedMetadata(reader) ?? RegistrationSettings.defaultExtendedMetadata
        let trustRoots = self.readCertificateFiles(reader, key: "transport_trust_roots", required: true)?.certificates
        if let trustRoots, trustRoots.isEmpty, reader.table["transport_trust_roots"]?.array?.isEmpty == true {
            reader.problem("transport_trust_roots", "must list at least one PEM file (the Open Banking root CAs)")
        }
        let intermediates = self.readCertificateFiles(reader, key: "transport_intermediates")?.certificates ?? []
        let allowSelfSigned = reader.bool("allow_self_signed_ssa") ?? false
        if allowSelfSigned {
            reader.diagnostics.warning(
                reader.path("allow_self_signed_ssa"),
                "unsigned (alg none) software statements are accepted: for sandboxes only"
            )
        }
        reader.reportUnknownKeys()
        guard let audience, let trustRoots else { return nil }
        return RegistrationSettings(
            audience: audience,
            requestMaxAge: requestMaxAge,
            clockSkew: clockSkew,
            ssaMaxAge: ssaMaxAge,
            tokenEndpointAuthMethods: methods,
            extendedMetadata: extendedMetadata,
            transportTrustRoots: trustRoots,
            transportIntermediates: intermediates,
            allowSelfSignedSSA: allowSelfSigned
        )
    }

    /// `token_endpoint_auth_methods`: known methods, no duplicates, at least one, and never
    /// `client_secret_jwt` (its HMAC key is the secret itself, which this server only keeps hashed).
    private func readAuthMethods(_ reader: AuthorizationServerConfigurationLoader.Reader) -> [String]? {
        guard let entries = reader.array("token_endpoint_auth_methods") else { return nil }
        var methods: [String] = []
        for entry in entries {
            if entry.value.string == TokenEndpointAuthMethod.clientSecretJWT.rawValue {
                self.diagnostics.problem(
                    entry.keyPath,
                    "\"client_secret_jwt\" is not supported: client secrets are stored hashed, and this method needs the secret in clear"
                )
                continue
            }
            guard
                let method = Reader.choice(
                    entry.value,
                    as: SupportedAuthMethod.self,
                    at: entry.keyPath,
                    diagnostics: self.diagnostics
                )
            else { continue }
            if methods.contains(method.rawValue) {
                self.diagnostics.problem(entry.keyPath, "\(ConfigurationLoader.quoted(method.rawValue)) is listed twice")
                continue
            }
            methods.append(method.rawValue)
        }
        if entries.isEmpty {
            reader.problem("token_endpoint_auth_methods", "must list at least one method")
        }
        return methods
    }

    /// `extended_metadata`: SSA claim names from open-banking.md §6, each once.
    private func readExtendedMetadata(_ reader: AuthorizationServerConfigurationLoader.Reader) -> [String]? {
        guard let entries = reader.stringArray("extended_metadata") else { return nil }
        var accepted: [String] = []
        for entry in entries {
            if accepted.contains(entry.value) {
                self.diagnostics.problem(entry.keyPath, "\(ConfigurationLoader.quoted(entry.value)) is listed twice")
            } else if !Self.softwareStatementClaims.contains(entry.value) {
                var message = "unknown software statement claim \(ConfigurationLoader.quoted(entry.value))"
                if let suggestion = ConfigurationLoader.suggestion(for: entry.value, among: Self.softwareStatementClaims) {
                    message += " (did you mean \(ConfigurationLoader.quoted(suggestion))?)"
                }
                self.diagnostics.problem(entry.keyPath, message)
            } else {
                accepted.append(entry.value)
            }
        }
        return accepted
    }

    /// `token_endpoint_auth_methods` values this server implements (all but `client_secret_jwt`).
    enum SupportedAuthMethod: String, CaseIterable {
        case tlsClientAuth = "tls_client_auth"
        case privateKeyJWT = "private_key_jwt"
        case clientSecretBasic = "client_secret_basic"
        case clientSecretPost = "client_secret_post"
    }

    /// The reader type, for its static helpers.
    typealias Reader = AuthorizationServerConfigurationLoader.Reader
}
