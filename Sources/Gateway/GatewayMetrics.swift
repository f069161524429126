import Metrics
import Prometheus
import Synchronization

/// The gateway's metrics, recorded through swift-metrics into a Prometheus registry owned by this
/// instance.
///
/// Why no global `MetricsSystem.bootstrap`: tests run many gateways in one process and each must
/// see only its own numbers, so every metric is created with `factory:` pointing at this
/// instance's `PrometheusMetricsFactory`.
///
/// The recording methods are called on event loops once per request or connection. Metric
/// objects are therefore cached per label set: after the first request for a (route, status)
/// pair a call costs one lock and one dictionary lookup, not a registry lookup with label
/// validation and string building.
///
/// Label values must come from bounded sets (route and upstream names from the configuration,
/// status codes, stable reason codes) — never from request data — to keep cardinality bounded.
public final class GatewayMetrics: Sendable {
    /// Metric names, in one place.
    enum Name {
        static let requests = "mtls_gateway_requests_total"
        static let requestDuration = "mtls_gateway_request_duration_seconds"
        static let handshakes = "mtls_gateway_tls_handshakes_total"
        static let upstreamFailures = "mtls_gateway_upstream_failures_total"
        static let openConnections = "mtls_gateway_open_connections"
        static let connectionsRejected = "mtls_gateway_connections_rejected_total"
    }

    /// The label value used when a request matched no route.
    static let noRoute = "none"

    /// Histogram buckets for request durations, in seconds (1 ms to 30 s).
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30),
    ]

    private struct RequestKey: Hashable {
        var route: String?
        var status: Int
    }

    private struct PairKey: Hashable {
        var first: String
        var second: String?
    }

    private struct Cache {
        var requests: [RequestKey: CoreMetrics.Counter] = [:]
        var durations: [String?: CoreMetrics.Timer] = [:]
        var handshakes: [PairKey: CoreMetrics.Counter] = [:]
        var upstreamFailures: [PairKey: CoreMetrics.Counter] = [:]
    }

    private let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let cache = Mutex(Cache())
    private let openConnections: CoreMetrics.Meter
    private let connectionsRejected: CoreMetrics.Counter

    /// Creates an empty registry and the connection-level metrics (so they are exported as 0
    /// before the first connection).
    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Name.requestDuration] = Self.durationBuckets
        self.registry = registry
        self.factory = factory
        self.openConnections = CoreMetrics.Meter(label: Name.openConnections, factory: factory)
        self.connectionsRejected = CoreMetrics.Counter(label: Name.connectionsRejected, factory: factory)
    }

    /// The metrics one (route, status) pair records into, looked up once: a connection keeps the
    /// handles of its last request and reuses them while route and status repeat, so a request
    /// then costs no lock and no dictionary lookup here.
    public final class RequestMetrics: Sendable {
        public let route: String?
        public let status: Int
        let counter: CoreMetrics.Counter
        let timer: CoreMetrics.Timer

        init(route: String?, status: Int, counter: CoreMetrics.Counter, timer: CoreMetrics.Timer) {
            self.route = route
            self.status = status
            self.counter = counter
            self.timer = timer
        }

        /// Records one finished request.
        public func record(durationSeconds: Double) {
            self.counter.increment()
            if durationSeconds.isFinite, durationSeconds >= 0 {
                self.timer.recordSeconds(durationSeconds)
            }
        }
    }

    /// Records a finished request: `mtls_gateway_requests_total{route,status}` and
    /// `mtls_gateway_request_duration_seconds{route}`. A `nil` route is labelled `none`.
    public func requestCompleted(route: String?, status: Int, durationSeconds: Double) {
        self.requestMetrics(route: route, status: status).record(durationSeconds: durationSeconds)
    }

    /// The handles for requests with `route` and `status` (see ``RequestMetrics``).
    public func requestMetrics(route: String?, status: Int) -> RequestMetrics {
        let (counter, timer) = self.cache.withLock { cache in
            let key = RequestKey(route: route, status: status)
            let counter: CoreMetrics.Counter
            if let cached = cache.requests[key] {
                counter = cached
            } else {
                counter = CoreMetrics.Counter(
                    label: Name.requests,
                    dimensions: [("route", route ?? Self.noRoute), ("status", Self.statusLabel(status))],
                    factory: self.factory
                )
                cache.requests[key] = counter
            }
            let timer: CoreMetrics.Timer
            if let cached = cache.durations[route] {
                timer = cached
            } else {
                timer = CoreMetrics.Timer(
                    label: Name.requestDuration,
                    dimensions: [("route", route ?? Self.noRoute)],
                    factory: self.factory
                )
                cache.durations[route] = timer
            }
            return (counter, timer)
        }
        return RequestMetrics(route: route, status: status, counter: counter, timer: timer)
    }

    /// Counts a TLS handshake: `mtls_gateway_tls_handshakes_total{outcome,reason}` with `outcome`
    /// one of `success`, `failure`, `resumed` and `reason` a stable code (empty when `nil`).
    public func handshake(outcome: String, reason: String?) {
        let key = PairKey(first: outcome, second: reason)
        self.counter(in: \.handshakes, key: key) {
            CoreMetrics.Counter(
                label: Name.handshakes,
                dimensions: [("outcome", outcome), ("reason", reason ?? "")],
                factory: self.factory
            )
        }.increment()
    }

    /// Counts an upstream failure: `mtls_gateway_upstream_failures_total{upstream,kind}`.
    public func upstreamFailure(upstream: String, kind: String) {
        let key = PairKey(first: upstream, second: kind)
        self.counter(in: \.upstreamFailures, key: key) {
            CoreMetrics.Counter(
                label: Name.upstreamFailures,
                dimensions: [("upstream", upstream), ("kind", kind)],
                factory: self.factory
            )
        }.increment()
    }

    /// A downstream connection was accepted (`mtls_gateway_open_connections` + 1).
    public func connectionOpened() {
        self.openConnections.increment()
    }

    /// A downstream connection closed (`mtls_gateway_open_connections` − 1).
    public func connectionClosed() {
        self.openConnections.decrement()
    }

    /// A connection was refused because `max_connections` was reached
    /// (`mtls_gateway_connections_rejected_total`).
    public func connectionRejected() {
        self.connectionsRejected.increment()
    }

    /// Everything recorded so far in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> String {
        self.registry.emitToString()
    }

    private func counter(
        in table: WritableKeyPath<Cache, [PairKey: CoreMetrics.Counter]>,
        key: PairKey,
        make: () -> CoreMetrics.Counter
    ) -> CoreMetrics.Counter {
        self.cache.withLock { cache in
            if let cached = cache[keyPath: table][key] {
                return cached
            }
            let counter = make()
            cache[keyPath: table][key] = counter
            return counter
        }
    }

    /// A status as three digits; anything outside 100–999 is `000`.
    static func statusLabel(_ status: Int) -> String {
        (100...999).contains(status) ? String(status) : "000"
    }
}
