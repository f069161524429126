import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The plain-HTTP admin listener: `GET /healthz`, `GET /readyz`, `GET /metrics`.
///
/// Why plain HTTP and a separate listener: orchestrators and Prometheus probe it without client
/// certificates, so it must never share a port with the mTLS listeners. Bind it to loopback or an
/// internal interface; it exposes no identity data, only liveness, readiness and counters.
///
/// Endpoints (see ``AdminHTTPHandler``): `/healthz` → 200 `{"status":"ok"}`; `/readyz` → 200
/// `{"status":"ready"}`, or 503 `{"status":"draining"}` once ``Readiness/markDraining()`` was
/// called; `/metrics` → Prometheus text (`text/plain; version=0.0.4`); any other path → 404 JSON;
/// any other method → 405.
public final class AdminServer: Service, Sendable {
    private enum BindState {
        case waiting([CheckedContinuation<Int, any Error>])
        case bound(Int)
        case failed(any Error)
    }

    private let host: String
    private let port: Int
    private let metrics: GatewayMetrics
    private let readiness: Readiness
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bindState = Mutex(BindState.waiting([]))

    /// Creates the listener; nothing is bound until ``run()``.
    ///
    /// - Parameters:
    ///   - host: The address to bind, e.g. `127.0.0.1`.
    ///   - port: The port to bind; `0` picks a free port (see ``boundPort``).
    public init(
        host: String,
        port: Int,
        metrics: GatewayMetrics,
        readiness: Readiness,
        group: any EventLoopGroup,
        logger: Logger
    ) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.readiness = readiness
        self.group = group
        self.logger = logger
    }

    /// The port actually bound; waits until ``run()`` has bound the socket and throws if binding
    /// failed. Tests bind port `0` and read this instead of sleeping.
    public var boundPort: Int {
        get async throws {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let result: Result<Int, any Error>? = self.bindState.withLock { state in
                    switch state {
                    case .waiting(var waiters):
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    case .bound(let port):
                        return .success(port)
                    case .failed(let error):
                        return .failure(error)
                    }
                }
                if let result {
                    continuation.resume(with: result)
                }
            }
        }
    }

    /// Binds, serves until graceful shutdown or cancellation, then closes the listening socket and
    /// every open admin connection.
    public func run() async throws {
        let server: NIOAsyncChannel<any Channel, Never>
        do {
            server = try await self.bind()
        } catch {
            self.logger.error(
                "cannot bind admin listener",
                metadata: ["address": "\(self.host)", "port": "\(self.port)", "error": "\(error)"]
            )
            self.resolveBind(.failure(error))
            throw error
        }
        let boundPort = server.channel.localAddress?.port ?? self.port
        self.resolveBind(.success(boundPort))
        self.logger.info(
            "admin listener started",
            metadata: ["address": "\(self.host)", "port": "\(boundPort)"]
        )

        let children = try await server.executeThenClose { inbound in
            var children: [any Channel] = []
            for try await child in inbound.cancelOnGracefulShutdown() {
                children.removeAll { !$0.isActive }
                children.append(child)
            }
            return children
        }
        for child in children where child.isActive {
            try? await child.close()
        }
        self.logger.info("admin listener stopped", metadata: ["port": "\(boundPort)"])
    }

    private func bind() async throws -> NIOAsyncChannel<any Channel, Never> {
        let metrics = self.metrics
        let readiness = self.readiness
        return try await ServerBootstrap(group: self.group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: self.host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        AdminHTTPHandler(metrics: metrics, readiness: readiness)
                    )
                    return channel
                }
            }
    }

    private func resolveBind(_ result: Result<Int, any Error>) {
        let waiters: [CheckedContinuation<Int, any Error>] = self.bindState.withLock { state in
            guard case .waiting(let waiters) = state else {
                return []
            }
            switch result {
            case .success(let port):
                state = .bound(port)
            case .failure(let error):
                state = .failed(error)
            }
            return waiters
        }
        for waiter in waiters {
            waiter.resume(with: result)
        }
    }
}

/// Whether the gateway accepts new work; `/readyz` reports it.
///
/// Why: during a graceful shutdown the load balancer must stop sending traffic before listeners
/// close, so draining is announced first (503 on `/readyz`) and connections are closed afterwards.
public final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    /// Starts ready.
    public init() {}

    /// `true` until ``markDraining()`` is called.
    public var isReady: Bool {
        !self.draining.load(ordering: .acquiring)
    }

    /// Announces draining: `/readyz` answers 503 from now on. Irreversible.
    public func markDraining() {
        self.draining.store(true, ordering: .releasing)
    }
}
