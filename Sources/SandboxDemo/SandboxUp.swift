import AuthorizationServer
import Foundation
import Gateway
import GatewayCore
import Logging
import NIOCore
import NIOPosix
import OpenBankingSandbox
import ServiceLifecycle

/// `ob-sandbox up`: the sandbox directory, the authorization server (SQLite), a demo resource
/// server and `mtls-gateway` in one process, then the TPP demo through them.
///
/// Everything runs from the libraries the executables use, with configuration files generated
/// into the sandbox folder and loaded by the same loaders, in one `ServiceGroup` (code-style.md
/// habit 9): Ctrl-C, or the end of the demo with `exitAfterDemo`, shuts it down gracefully in
/// reverse start order.
public struct SandboxUp: Sendable {
    /// What to do.
    public let options: SandboxUpOptions
    /// The operational log of every component (stderr in `ob-sandbox up`).
    public let logger: Logger
    /// Prints one line of the demo's own output (stdout in `ob-sandbox up`).
    public let output: @Sendable (String) -> Void

    /// A sandbox with these options.
    public init(options: SandboxUpOptions, logger: Logger, output: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.logger = logger
        self.output = output
    }

    /// Starts everything, runs the demo, and returns once the group has stopped.
    ///
    /// - Returns: the demo's outcome (an empty one when Ctrl-C came before it finished).
    /// - Throws: ``SandboxUpError`` (one sentence each) when something cannot start or fails.
    public func run() async throws -> SandboxUpOutcome {
        let layout = SandboxLayout(root: self.options.directory)
        try self.options.ports.validate()
        try layout.createFolders()
        let provisioned = try SandboxPKIProvisioner.provision(layout)
        switch provisioned {
        case .created: self.output("Created a sandbox PKI (RSA, Open Banking shaped) in \(layout.pki).")
        case .reused: self.output("Using the sandbox PKI in \(layout.pki).")
        }
        let pki = provisioned.pki
        let ports = try await PortPreflight.resolve(self.options.ports, group: MultiThreadedEventLoopGroup.singleton)

        let components = try await SandboxComponents.build(layout: layout, pki: pki, ports: ports, logger: self.logger)
        let outcome = DemoOutcomeBox()
        let runner = DemoRunnerService(
            waitUntilListening: components.waitUntilListening,
            banner: Self.banner(layout: layout, ports: ports),
            script: DemoScript(
                pki: pki,
                directory: components.directory,
                gatewayURL: SandboxConfigurationText.gatewayURL(ports),
                directoryURL: SandboxConfigurationText.directoryURL(ports)
            ),
            flushAccessLog: components.flushAccessLog,
            layout: layout,
            accessLogOffset: components.accessLogOffset,
            servingHints: { clientID in Self.hints(layout: layout, ports: ports, clientID: clientID) },
            exitAfterDemo: self.options.exitAfterDemo,
            outcome: outcome,
            output: self.output
        )
        let services: [ServiceGroupConfiguration.ServiceConfiguration] =
            components.services.map { .init(service: $0) } + [
                .init(service: runner, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: InterruptSignalService(), successTerminationBehavior: .gracefullyShutdownGroup),
            ]
        let group = ServiceGroup(configuration: .init(services: services, logger: self.logger))
        do {
            try await group.run()
        } catch let error as SandboxUpError {
            throw error
        } catch {
            throw SandboxUpError.componentFailed(component: "The sandbox", reason: "\(error)")
        }
        return outcome.outcome ?? SandboxUpOutcome(steps: [], expectedStepCount: DemoScript.titles.count)
    }

    /// What runs where.
    static func banner(layout: SandboxLayout, ports: SandboxPorts) -> [String] {
        let host = PortPreflight.host
        return [
            "",
            "MTLSGateway sandbox (\(layout.root)):",
            "  gateway               \(SandboxConfigurationText.gatewayURL(ports))  (MTLS; \(layout.gatewayConfiguration), access log \(layout.accessLog))",
            "  admin                 http://\(host):\(ports.admin)  (/healthz, /readyz, /metrics)",
            "  authorization server  \(SandboxConfigurationText.authorizationServerURL(ports))  (behind the gateway; \(layout.authorizationServerConfiguration), \(layout.database))",
            "  resource server       http://\(host):\(ports.resourceServer)  (demo API \(DemoResourceServer.accountsPath), behind the gateway)",
            "  directory             \(SandboxConfigurationText.directoryURL(ports))  (JWKS \(SandboxDirectory.directoryJWKSPath), POST /ssa)",
        ]
    }

    /// What to try by hand while the sandbox keeps serving.
    static func hints(layout: SandboxLayout, ports: SandboxPorts, clientID: String?) -> [String] {
        let gateway = SandboxConfigurationText.gatewayURL(ports)
        let common = "--pki \(layout.pki) --gateway \(gateway)"
        var lines = ["", "Serving until Ctrl-C. Try it by hand from another terminal (in this folder):"]
        if let clientID {
            lines += [
                "  TOKEN=$(ob-sandbox tpp token \(common) --client-id \(clientID) --scope accounts --field access_token)",
                "  curl --cacert \(layout.pki)/root-ca.pem --cert \(layout.pki)/tpp-transport-bundle.pem \\",
                "       -H \"Authorization: Bearer $TOKEN\" \(gateway)\(DemoResourceServer.accountsPath)",
                "  ob-sandbox tpp get \(clientID) \(common) --token \"$TOKEN\"",
            ]
        }
        lines += [
            "  ob-sandbox ssa create --pki \(layout.pki) --jwks-base-url \(SandboxConfigurationText.directoryURL(ports)) --out ssa.jwt",
            "  ob-sandbox tpp register \(common) --ssa ssa.jwt --field client_id",
            "  mtls-gateway logs \(layout.accessLog)",
        ]
        return lines
    }
}
