import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Testing

@testable import Gateway

@Suite("Admin listener")
struct AdminServerTests {
    struct Reply {
        var head: HTTPResponseHead
        var body: String
    }

    /// A one-request HTTP/1.1 client over NIO.
    static func request(_ uri: String, method: HTTPMethod = .GET, port: Int) async throws -> Reply {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "127.0.0.1")
            headers.add(name: "Connection", value: "close")
            // One write: the server answers (and closes) as soon as it has parsed a bodiless head,
            // so a separate `.end` write could hit a closed channel.
            let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
            var responseHead: HTTPResponseHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    responseHead = received
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    return Reply(head: try #require(responseHead), body: String(buffer: body))
                }
            }
            throw ChannelError.eof
        }
    }

    @Test func servesHealthReadinessMetricsAndErrors() async throws {
        let logger = Logger(label: "test.admin")
        let metrics = GatewayMetrics()
        let readiness = Readiness()
        let server = AdminServer(
            host: "127.0.0.1",
            port: 0,
            metrics: metrics,
            readiness: readiness,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: server)], gracefulShutdownSignals: [], logger: logger)
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await group.run()
            }
            let port = try await server.boundPort
            #expect(port > 0)

            let health = try await Self.request("/healthz", port: port)
            #expect(health.head.status == .ok)
            #expect(health.body == #"{"status":"ok"}"#)
            #expect(health.head.headers["Content-Type"] == ["application/json"])

            let ready = try await Self.request("/readyz", port: port)
            #expect(ready.head.status == .ok)
            #expect(ready.body == #"{"status":"ready"}"#)

            metrics.requestCompleted(route: "accounts", status: 200, durationSeconds: 0.012)
            let scrape = try await Self.request("/metrics?x=1", port: port)
            #expect(scrape.head.status == .ok)
            #expect(scrape.head.headers["Content-Type"].first?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(scrape.body.contains(#"mtls_gateway_requests_total{route="accounts",status="200"} 1"#))

            let missing = try await Self.request("/nope", port: port)
            #expect(missing.head.status == .notFound)
            #expect(missing.body == #"{"error":"not_found"}"#)

            let post = try await Self.request("/healthz", method: .POST, port: port)
            #expect(post.head.status == .methodNotAllowed)
            #expect(post.head.headers["Allow"] == ["GET"])

            readiness.markDraining()
            let draining = try await Self.request("/readyz", port: port)
            #expect(draining.head.status == .serviceUnavailable)
            #expect(draining.body == #"{"status":"draining"}"#)
            let stillHealthy = try await Self.request("/healthz", port: port)
            #expect(stillHealthy.head.status == .ok)

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func boundPortThrowsWhenBindingFails() async throws {
        let logger = Logger(label: "test.admin")
        let first = AdminServer(
            host: "127.0.0.1",
            port: 0,
            metrics: GatewayMetrics(),
            readiness: Readiness(),
            group: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await first.run() }
            let taken = try await first.boundPort
            let second = AdminServer(
                host: "127.0.0.1",
                port: taken,
                metrics: GatewayMetrics(),
                readiness: Readiness(),
                group: MultiThreadedEventLoopGroup.singleton,
                logger: logger
            )
            await #expect(throws: (any Error).self) { try await second.run() }
            await #expect(throws: (any Error).self) { try await second.boundPort }
            tasks.cancelAll()  // plain cancellation (no ServiceGroup) also stops the listener
            try await tasks.waitForAll()
        }
    }

    @Test(arguments: [
        (HTTPMethod.GET, "/healthz", AdminHTTPHandler.Endpoint.health),
        (.GET, "/readyz?verbose", .readiness),
        (.GET, "/metrics", .metrics),
        (.GET, "/metrics/", .notFound),
        (.GET, "/", .notFound),
        (.POST, "/healthz", .methodNotAllowed),
        (.DELETE, "/metrics", .methodNotAllowed),
        (.POST, "/nope", .notFound),
    ])
    func endpointTable(method: HTTPMethod, uri: String, expected: AdminHTTPHandler.Endpoint) {
        #expect(AdminHTTPHandler.endpoint(method: method, uri: uri) == expected)
    }

    @Test func handlerInMemoryHonoursHeadAndConnectionClose() throws {
        let channel = EmbeddedChannel(
            handler: AdminHTTPHandler(metrics: GatewayMetrics(), readiness: Readiness())
        )
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        try channel.writeInbound(
            HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .HEAD, uri: "/healthz", headers: headers))
        )
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("expected a response head")
            return
        }
        #expect(head.status == .methodNotAllowed)
        #expect(head.headers["Connection"] == ["close"])
        guard case .end = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("a HEAD response has no body")
            return
        }
        #expect(!channel.isActive)
    }
}

@Suite("Gateway metrics")
struct GatewayMetricsTests {
    @Test func exposesEveryFamilyWithLabels() {
        let metrics = GatewayMetrics()
        metrics.requestCompleted(route: "accounts", status: 200, durationSeconds: 0.003)
        metrics.requestCompleted(route: "accounts", status: 200, durationSeconds: 0.2)
        metrics.requestCompleted(route: nil, status: 404, durationSeconds: 0.001)
        metrics.handshake(outcome: "success", reason: nil)
        metrics.handshake(outcome: "failure", reason: "certificate_expired")
        metrics.upstreamFailure(upstream: "aisp", kind: "timeout")
        metrics.connectionOpened()
        metrics.connectionOpened()
        metrics.connectionClosed()
        metrics.connectionRejected()
        let text = metrics.exposition()
        #expect(text.contains(#"mtls_gateway_requests_total{route="accounts",status="200"} 2"#))
        #expect(text.contains(#"mtls_gateway_requests_total{route="none",status="404"} 1"#))
        #expect(text.contains(#"mtls_gateway_request_duration_seconds_count{route="accounts"} 2"#))
        #expect(text.contains(#"mtls_gateway_request_duration_seconds_bucket{route="accounts",le="0.005"} 1"#))
        #expect(text.contains(#"mtls_gateway_tls_handshakes_total{outcome="failure",reason="certificate_expired"} 1"#))
        #expect(text.contains(#"mtls_gateway_upstream_failures_total{upstream="aisp",kind="timeout"} 1"#))
        #expect(text.contains("mtls_gateway_open_connections 1"))
        #expect(text.contains("mtls_gateway_connections_rejected_total 1"))
    }

    @Test func instancesDoNotShareState() {
        let first = GatewayMetrics()
        let second = GatewayMetrics()
        first.requestCompleted(route: "a", status: 500, durationSeconds: 0.1)
        #expect(first.exposition().contains(#"mtls_gateway_requests_total{route="a",status="500"} 1"#))
        #expect(!second.exposition().contains(#"route="a""#))
    }

    @Test func statusLabelsAreThreeDigits() {
        #expect(GatewayMetrics.statusLabel(204) == "204")
        #expect(GatewayMetrics.statusLabel(42) == "000")
        #expect(GatewayMetrics.statusLabel(1000) == "000")
    }
}
