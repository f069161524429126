import X509

/// `[registration]`: what `POST /register` accepts (open-banking.md §5–6).
public struct RegistrationSettings: Sendable {
    /// The default `token_endpoint_auth_methods`.
    public static let defaultTokenEndpointAuthMethods = ["tls_client_auth", "private_key_jwt", "client_secret_basic"]
    /// The default `extended_metadata` SSA claims.
    public static let defaultExtendedMetadata = ["org_id", "org_name", "software_client_name", "software_roles", "software_mode"]

    /// `audience`: accepted `aud` values of request JWTs (the ASPSP's OB org id, maybe the issuer).
    public var audience: [String]
    /// `request_max_age`: bounds `now − iat` and `exp − iat` of a request JWT.
    public var requestMaxAge: Duration
    /// `clock_skew`: tolerated clock difference with TPPs and directories.
    public var clockSkew: Duration
    /// `ssa_max_age`: the oldest SSA accepted (SSAs carry no `exp`).
    public var ssaMaxAge: Duration
    /// `token_endpoint_auth_methods`: advertised and accepted methods, in file order. Never
    /// `client_secret_jwt`: it needs the secret in clear at the server, and secrets are stored
    /// only as hashes.
    public var tokenEndpointAuthMethods: [String]
    /// `extended_metadata`: SSA claims stored as named, queryable client metadata.
    public var extendedMetadata: [String]
    /// `transport_trust_roots`: the forwarded client certificate must chain to one of these.
    ///
    /// Why separate from the gateway's trust: the gateway may trust other CAs for other routes;
    /// the registration must still only accept Open Banking transport certificates.
    public var transportTrustRoots: [Certificate]
    /// `transport_intermediates`: CAs usable for path building when the chain header lacks them.
    public var transportIntermediates: [Certificate]
    /// `allow_self_signed_ssa`: accept `alg: none` SSAs. Off unless deliberately enabled for a
    /// sandbox: RFC 8725 §3.1 (never accept unsigned JWTs by accident).
    public var allowSelfSignedSSA: Bool

    /// Creates settings; durations default to issue 3's values.
    public init(
        audience: [String],
        requestMaxAge: Duration = .seconds(3600),
        clockSkew: Duration = .seconds(60),
        ssaMaxAge: Duration = .seconds(1800),
        tokenEndpointAuthMethods: [String] = RegistrationSettings.defaultTokenEndpointAuthMethods,
        extendedMetadata: [String] = RegistrationSettings.defaultExtendedMetadata,
        transportTrustRoots: [Certificate],
        transportIntermediates: [Certificate] = [],
        allowSelfSignedSSA: Bool = false
    ) {
        self.audience = audience
        self.requestMaxAge = requestMaxAge
        self.clockSkew = clockSkew
        self.ssaMaxAge = ssaMaxAge
        self.tokenEndpointAuthMethods = tokenEndpointAuthMethods
        self.extendedMetadata = extendedMetadata
        self.transportTrustRoots = transportTrustRoots
        self.transportIntermediates = transportIntermediates
        self.allowSelfSignedSSA = allowSelfSignedSSA
    }
}

/// One `[[directory]]`: a trusted issuer of software statements.
public struct DirectoryConfiguration: Sendable {
    /// The default lifetime of cached directory keys.
    public static let defaultJWKSCacheTTL: Duration = .seconds(600)
    /// The default bound on one JWKS fetch.
    public static let defaultFetchTimeout: Duration = .seconds(5)

    /// `name`: unique; appears in logs.
    public var name: String
    /// `issuer`: the SSA `iss` this directory signs with (`OpenBanking Ltd`); unique.
    public var issuer: String
    /// `jwks`: where the directory's signing keys are.
    public var jwks: JWKSSource
    /// `trust_roots`: TLS trust for the JWKS host; empty means the system's trust store.
    public var trustRoots: [Certificate]
    /// `jwks_cache_ttl`: how long fetched keys are used before a refresh.
    public var jwksCacheTTL: Duration
    /// `fetch_timeout`: bound on one JWKS download, so a slow directory cannot hang registrations.
    public var fetchTimeout: Duration

    /// Creates a directory.
    public init(
        name: String,
        issuer: String,
        jwks: JWKSSource,
        trustRoots: [Certificate] = [],
        jwksCacheTTL: Duration = DirectoryConfiguration.defaultJWKSCacheTTL,
        fetchTimeout: Duration = DirectoryConfiguration.defaultFetchTimeout
    ) {
        self.name = name
        self.issuer = issuer
        self.jwks = jwks
        self.trustRoots = trustRoots
        self.jwksCacheTTL = jwksCacheTTL
        self.fetchTimeout = fetchTimeout
    }
}

/// Where a directory's JWKS comes from.
public enum JWKSSource: Sendable, Hashable {
    /// An `https://` URL, fetched with the directory's trust roots.
    case url(String)
    /// A local file (absolute path), re-read when the cache expires; it may not exist yet at
    /// start-up (the sandbox writes it), which the loader reports as a warning.
    case file(path: String)
}
