import Hummingbird

/// `GET /.well-known/openid-configuration` and `GET /jwks`: public, no client certificate, and
/// cacheable (they change only when the configuration or the signing key does).
struct DiscoveryEndpoint: Sendable {
    let dependencies: EndpointDependencies

    /// The discovery document.
    func configuration(_ request: Request, context: some RequestContext) -> Response {
        EndpointResponse.json(self.dependencies.discovery, headers: Self.cacheHeaders, cacheable: true)
    }

    /// The server's public signing keys (RFC 7517 §5) with `kid`, `use` and `alg`.
    func jwks(_ request: Request, context: some RequestContext) -> Response {
        EndpointResponse.json(self.dependencies.tokenIssuer.jwks, headers: Self.cacheHeaders, cacheable: true)
    }

    /// Five minutes: clients re-read soon after a key rotation.
    private static let cacheHeaders: HTTPFields = [.cacheControl: "public, max-age=300"]
}
