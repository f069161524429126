import Foundation
import Hummingbird
import Logging
import RegistrationCore

/// Everything the endpoints share, built once per server: settings derived from the
/// configuration, the store, the JWKS fetcher, the token issuer, the identity resolver and the
/// clock (injected so tests control time).
struct EndpointDependencies: Sendable {
    let settings: EndpointSettings
    let store: any ClientStore
    let fetcher: JWKSFetcher
    let tokenIssuer: TokenIssuer
    let identityResolver: ForwardedIdentityResolver
    let introspectionCredentials: [IntrospectionCredential]
    let clock: @Sendable () -> Date
    /// The discovery document (computed once).
    let discovery: JSONValue

    /// Wires the dependencies for `configuration`.
    ///
    /// - Throws: `JOSEError` when the token-signing key cannot produce a public JWK.
    init(
        configuration: AuthorizationServerConfiguration,
        store: any ClientStore,
        fetcher: JWKSFetcher,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        let settings = EndpointSettings(configuration)
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self.tokenIssuer = try TokenIssuer(
            signer: configuration.tokens.signer,
            issuer: settings.issuer,
            lifetime: configuration.tokens.accessTokenLifetime
        )
        self.identityResolver = ForwardedIdentityResolver(
            trustedProxies: configuration.server.trustedProxies,
            trustRoots: configuration.registration.transportTrustRoots,
            intermediates: configuration.registration.transportIntermediates,
            now: clock
        )
        self.introspectionCredentials = configuration.introspection.credentials
        self.clock = clock
        self.discovery = DiscoveryDocument.json(settings)
    }

    /// The registration checks.
    var pipeline: RegistrationPipeline {
        RegistrationPipeline(settings: self.settings, fetcher: self.fetcher, store: self.store)
    }

    /// Token-endpoint client authentication.
    var authenticator: ClientAuthenticator {
        ClientAuthenticator(settings: self.settings, fetcher: self.fetcher, store: self.store)
    }

    /// The identity the gateway forwarded with `request`, believed only from a trusted peer.
    func identity(of request: Request, context: some RemoteAddressRequestContext) async -> ForwardedIdentity {
        await self.identityResolver.resolve(
            headers: request.headers,
            peer: context.remoteAddress,
            logger: context.logger
        )
    }
}
