import Foundation
import RegistrationCore

/// What the endpoints need from the configuration, derived once at start-up: endpoint URLs, the
/// registration policy, the directories.
struct EndpointSettings: Sendable {
    /// `iss` of tokens and the base of every advertised endpoint (no trailing slash).
    let issuer: String
    /// The base of the certificate-bound endpoints (`mtls_base_url`, else the issuer).
    let mutualTLSBaseURL: String
    /// `[server] max_body_size`.
    let maxBodySize: Int
    /// The RFC 7591 rules `/register` applies.
    let policy: RegistrationPolicy
    /// SSA claims kept as named metadata.
    let extendedMetadata: [String]
    /// The trusted SSA issuers.
    let directories: [DirectoryConfiguration]
    /// `[server] authorization_endpoint`, advertised only when set.
    let authorizationEndpoint: String?
    /// Whether `/introspect` is served.
    let introspectionEnabled: Bool

    /// Paths, relative to the issuer.
    enum Path {
        static let discovery = "/.well-known/openid-configuration"
        static let jwks = "/jwks"
        static let register = "/register"
        static let token = "/token"
        static let introspect = "/introspect"
        static let live = "/healthz"
        static let ready = "/readyz"
    }

    /// Derives the settings from a validated configuration.
    init(_ configuration: AuthorizationServerConfiguration) {
        self.issuer = Self.withoutTrailingSlash(configuration.server.issuer)
        self.mutualTLSBaseURL = Self.withoutTrailingSlash(
            configuration.server.mtlsBaseURL ?? configuration.server.issuer
        )
        self.maxBodySize = configuration.server.maxBodySize
        let registration = configuration.registration
        var policy = RegistrationPolicy(audiences: Set(registration.audience))
        policy.requestMaxAge = registration.requestMaxAge
        policy.clockSkew = registration.clockSkew
        policy.softwareStatementMaxAge = registration.ssaMaxAge
        policy.tokenEndpointAuthMethods = Set(
            registration.tokenEndpointAuthMethods.compactMap(TokenEndpointAuthMethod.init)
        )
        policy.allowSelfSignedSSA = registration.allowSelfSignedSSA
        policy.softwareStatementIssuers = Set(configuration.directories.map(\.issuer))
        self.policy = policy
        self.extendedMetadata = registration.extendedMetadata
        self.directories = configuration.directories
        self.authorizationEndpoint = configuration.server.authorizationEndpoint
        self.introspectionEnabled = configuration.introspection.isEnabled
    }

    /// The public token endpoint.
    var tokenEndpoint: String { self.issuer + Path.token }
    /// The public registration endpoint.
    var registrationEndpoint: String { self.issuer + Path.register }
    /// The JWKS URI.
    var jwksURI: String { self.issuer + Path.jwks }
    /// The introspection endpoint.
    var introspectionEndpoint: String { self.issuer + Path.introspect }

    /// RFC 7592 `registration_client_uri` of `clientID` (on the MTLS base: management needs the
    /// client certificate).
    func registrationClientURI(_ clientID: String) -> String {
        self.mutualTLSBaseURL + Path.register + "/" + clientID
    }

    /// `aud` values accepted in a `private_key_jwt` assertion: the token endpoint (public and MTLS
    /// alias) or the issuer (RFC 7523 §3 item 3; OIDC Core §9 names the token endpoint, FAPI 2
    /// the issuer; both occur).
    var clientAssertionAudiences: Set<String> {
        [self.tokenEndpoint, self.mutualTLSBaseURL + Path.token, self.issuer]
    }

    /// The directory that issues SSAs with `iss` = `issuer`.
    func directory(issuer: String) -> DirectoryConfiguration? {
        self.directories.first { $0.issuer == issuer }
    }

    /// The fetch of `directory`'s own JWKS.
    func directoryKeys(_ directory: DirectoryConfiguration) -> JWKSRequest {
        let location: JWKSLocation
        switch directory.jwks {
        case .url(let url): location = .url(url)
        case .file(let path): location = .file(path)
        }
        return self.request(location, in: directory)
    }

    /// The fetch of a software JWKS published under `directory` (TLS trust of the directory).
    func softwareKeys(_ url: String, in directory: DirectoryConfiguration) -> JWKSRequest {
        self.request(.url(url), in: directory)
    }

    private func request(_ location: JWKSLocation, in directory: DirectoryConfiguration) -> JWKSRequest {
        JWKSRequest(
            location: location,
            trustDomain: directory.name,
            cacheTTL: directory.jwksCacheTTL,
            fetchTimeout: directory.fetchTimeout
        )
    }

    private static func withoutTrailingSlash(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
