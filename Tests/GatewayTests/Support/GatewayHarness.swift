import Foundation
import Gateway
import GatewayCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A gateway running in-process on port 0 with a generated configuration.
final class GatewayHarness: Sendable {
    let application: GatewayApplication
    let port: Int
    let adminPort: Int?
    let directory: String
    let accessLogPath: String
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    /// Starts a gateway; `routes`/`upstreams`/`extra` are TOML fragments appended to a base conf.
    static func start(
        listenerMode: String = "optional",
        drainTimeout: String = "5s",
        gatewayExtra: String = "",
        listenerExtra: String = "",
        identityHeaders: String = #"forward = ["rfc9440", "derived", "xfcc", "nginx", "apache"]"#,
        upstreams: String,
        routes: String,
        admin: Bool = false
    ) async throws -> GatewayHarness {
        let directory = NSTemporaryDirectory() + "gw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pki = TestPKI.directory
        let accessLog = directory + "/access.log"
        let conf = """
            [gateway]
            access_log = "\(accessLog)"
            access_log_format = "json"
            drain_timeout = "\(drainTimeout)"
            \(gatewayExtra)

            \(admin ? "[admin]\naddress = \"127.0.0.1:0\"\n" : "")
            [[listener]]
            name = "mtls"
            address = "127.0.0.1:0"
            certificate_chain = "\(pki)/server-chain.pem"
            private_key = "\(pki)/server.key"
            client_certificate = "\(listenerMode)"
            trust_roots = ["\(pki)/root-ca.pem"]
            intermediates = ["\(pki)/issuing-ca.pem"]
            max_chain_depth = 4
            \(listenerExtra)

            [identity_headers]
            \(identityHeaders)

            \(upstreams)

            \(routes)
            """
        let confPath = directory + "/gateway.conf"
        try conf.write(toFile: confPath, atomically: true, encoding: .utf8)
        let loaded = try ConfigurationLoader.load(path: confPath)
        var logger = Logger(label: "test-gateway")
        logger.logLevel = .warning
        let application = try buildGateway(configuration: loaded.configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: application.services.map { .init(service: $0) }, logger: logger)
        )
        let task = Task { try await group.run() }
        let addresses = try await application.gateway.listeningAddresses()
        let adminPort = try await application.admin?.boundPort
        return GatewayHarness(
            application: application,
            port: addresses["mtls"]?.port ?? 0,
            adminPort: adminPort,
            directory: directory,
            accessLogPath: accessLog,
            task: task,
            group: group
        )
    }

    private init(
        application: GatewayApplication,
        port: Int,
        adminPort: Int?,
        directory: String,
        accessLogPath: String,
        task: Task<Void, any Error>,
        group: ServiceGroup
    ) {
        self.application = application
        self.port = port
        self.adminPort = adminPort
        self.directory = directory
        self.accessLogPath = accessLogPath
        self.task = task
        self.group = group
    }

    /// Graceful shutdown (drain), then waits for the services to finish.
    func stop() async throws {
        await self.group.triggerGracefulShutdown()
        try await self.task.value
    }

    /// The access log's lines as JSON objects (after flushing the writer).
    func accessLogLines() async throws -> [[String: Any]] {
        await self.application.accessLog.flush()
        let text = (try? String(contentsOfFile: self.accessLogPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The access log's lines once one satisfies `predicate` (the gateway logs a failed handshake
    /// when it processes it, which may be after the client already gave up). Bounded by `timeout`.
    func accessLogLines(
        until predicate: ([String: Any]) -> Bool,
        timeout: Duration = .seconds(10)
    ) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let lines = try await self.accessLogLines()
            if lines.contains(where: predicate) || ContinuousClock.now >= deadline { return lines }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    static func upstreamTOML(name: String = "backend", port: Int, responseTimeout: String = "2s", extra: String = "") -> String {
        """
        [[upstream]]
        name = "\(name)"
        servers = ["http://127.0.0.1:\(port)"]
        connect_timeout = "1s"
        response_timeout = "\(responseTimeout)"
        \(extra)
        """
    }
}
