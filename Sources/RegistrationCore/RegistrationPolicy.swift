/// What this authorization server accepts at `/register`: the validated form of the
/// `[registration]` configuration (issue 3), with Open Banking defaults.
public struct RegistrationPolicy: Sendable, Hashable {
    /// Accepted `aud` values: the ASPSP's OB org id, possibly also the issuer URL. A request is
    /// accepted when its `aud` (string, or any element of an array) is one of them.
    public var audiences: Set<String>
    /// Bounds both `now − iat` and `exp − iat` of the request JWT (with ``clockSkew``).
    public var requestMaxAge: Duration
    /// Tolerated clock difference with the TPP and the directory.
    public var clockSkew: Duration
    /// Maximum age of an SSA (`now − iat`; SSAs carry no `exp`).
    public var softwareStatementMaxAge: Duration
    /// Advertised and accepted `token_endpoint_auth_method` values.
    public var tokenEndpointAuthMethods: Set<TokenEndpointAuthMethod>
    /// JWS algorithms for request JWTs, SSAs, `token_endpoint_auth_signing_alg`,
    /// `id_token_signed_response_alg` and `request_object_signing_alg`.
    public var allowedAlgorithms: Set<JWSAlgorithm>
    /// Accepted `grant_types` values.
    public var grantTypes: Set<String>
    /// Accepted `response_types` values (each a space-separated set of tokens, RFC 6749 §3.1.1).
    public var responseTypes: Set<String>
    /// Scopes each `software_roles` value grants (role names upper case).
    public var roleScopes: [String: Set<String>]
    /// Scopes every client may request whatever its roles (`openid`).
    public var alwaysAllowedScopes: Set<String>
    /// Scopes registered when `scope` is absent or empty, intersected with what the roles allow;
    /// `nil` registers everything the roles allow.
    public var defaultScopes: Set<String>?
    /// Accepted `application_type` values (OB 3.3: `web`, `mobile`; 3.4: `native`).
    public var applicationTypes: Set<String>
    /// Accepted SSA `iss` values; empty means the caller already matched the issuer to a
    /// configured directory.
    public var softwareStatementIssuers: Set<String>
    /// Accept SSAs with `alg: none` (deliberately unsigned test SSAs). Off by default: RFC 8725
    /// §3.1, open-banking.md §6.
    public var allowSelfSignedSSA: Bool
    /// Accept an OBWAC/eIDAS transport certificate whose CN (org id) equals the SSA's `org_id`
    /// even when it is not published in the software JWKS with `use: tls`. Off by default: such a
    /// certificate identifies the organisation, not the software, so any software of the
    /// organisation could then be registered with it.
    public var acceptOrganisationCertificates: Bool
    /// Maximum length of `scope` in characters (open-banking.md §5: 256).
    public var maximumScopeLength: Int

    /// The OB defaults for an ASPSP known as `audiences`: 1 h request age, 60 s skew, 30 min SSA
    /// age, tls_client_auth / private_key_jwt / client_secret_basic, PS256 and ES256, the four OB
    /// grant types, `code` and `code id_token`, AISP→accounts, PISP→payments,
    /// CBPII→fundsconfirmations, openid always.
    public init(audiences: Set<String>) {
        self.audiences = audiences
        self.requestMaxAge = .seconds(3600)
        self.clockSkew = .seconds(60)
        self.softwareStatementMaxAge = .seconds(1800)
        self.tokenEndpointAuthMethods = [.tlsClientAuth, .privateKeyJWT, .clientSecretBasic]
        self.allowedAlgorithms = [.ps256, .es256]
        self.grantTypes = [
            "client_credentials", "authorization_code", "refresh_token", "urn:openid:params:grant-type:ciba",
        ]
        self.responseTypes = ["code", "code id_token"]
        self.roleScopes = ["AISP": ["accounts"], "PISP": ["payments"], "CBPII": ["fundsconfirmations"]]
        self.alwaysAllowedScopes = ["openid"]
        self.defaultScopes = nil
        self.applicationTypes = ["web", "mobile", "native"]
        self.softwareStatementIssuers = []
        self.allowSelfSignedSSA = false
        self.acceptOrganisationCertificates = false
        self.maximumScopeLength = 256
    }

    /// The scopes `roles` allow: ``alwaysAllowedScopes`` plus each role's scopes.
    public func allowedScopes(forRoles roles: [String]) -> Set<String> {
        var scopes = self.alwaysAllowedScopes
        for role in roles {
            scopes.formUnion(self.roleScopes[role.uppercased()] ?? [])
        }
        return scopes
    }

    /// Whether an SSA may be accepted without a signature: only when ``allowSelfSignedSSA`` is
    /// on, its `alg` is `none` and its signature segment is empty (RFC 7518 §3.6).
    public func acceptsUnsignedSoftwareStatement(_ jws: CompactJWS) -> Bool {
        self.allowSelfSignedSSA && jws.header.algorithm == "none" && jws.signature.isEmpty
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var timeInterval: Double {
        let components = self.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
