import Hummingbird
import Logging

/// `GET /healthz` (liveness) and `GET /readyz` (readiness) for orchestrators and container
/// health checks.
///
/// Why two: a process that answers is alive, but it is only worth sending registrations and
/// token requests to when its database answers too; a load balancer or Kubernetes takes a
/// replica whose database is unreachable out of rotation (`/readyz` 503) without restarting it
/// (`/healthz` stays 200). Neither needs a client certificate; the gateway does not route them
/// (they are for the container network, like the gateway's admin listener).
struct HealthEndpoint: Sendable {
    let dependencies: EndpointDependencies

    /// 200 while the process serves requests.
    func live(_ request: Request, context: some RequestContext) -> Response {
        EndpointResponse.json(["status": "ok"])
    }

    /// 200 when the database answers a trivial query, 503 otherwise (the reason is logged, not
    /// sent: it may name hosts).
    func ready(_ request: Request, context: some RequestContext) async -> Response {
        do {
            try await self.dependencies.store.checkAvailable()
            return EndpointResponse.json(["status": "ready"])
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(error.underlying)"])
            return EndpointResponse.json(["status": "unavailable", "reason": "database_unavailable"], status: .serviceUnavailable)
        }
    }
}
