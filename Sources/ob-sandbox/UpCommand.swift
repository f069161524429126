import ArgumentParser
import Foundation
import Logging
import SandboxDemo

/// `ob-sandbox up`: the whole Open Banking flow on this machine, in one process (``SandboxUp``).
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run the gateway, the authorization server, the directory and a demo API, then a TPP through them.",
        discussion: """
            Creates the sandbox PKI in <dir>/pki if missing (reused afterwards), writes <dir>/gateway.conf and \
            <dir>/authorization-server.conf, and runs in this process: the sandbox directory (HTTPS), the \
            authorization server (SQLite <dir>/data/as.sqlite), a demo resource server \
            (GET /open-banking/v3.1/aisp/accounts, certificate-bound tokens only) and mtls-gateway (access log \
            <dir>/logs/access.log). Then a TPP gets an SSA, registers through the gateway over MTLS, gets a \
            certificate-bound token, calls the accounts API, is refused with the same token and another \
            certificate, and reads its registration; each step and the access-log lines are printed. Serves \
            until Ctrl-C. Ports: 0 picks a free one.
            """
    )

    @Option(name: .customLong("dir"), help: ArgumentHelp("The sandbox folder.", valueName: "dir"))
    var directory: String = ".sandbox"

    @Option(name: .customLong("gateway-port"), help: "The gateway's MTLS port.")
    var gatewayPort: Int = SandboxPorts.Component.gateway.defaultPort

    @Option(name: .customLong("directory-port"), help: "The sandbox directory's HTTPS port.")
    var directoryPort: Int = SandboxPorts.Component.directory.defaultPort

    @Option(name: .customLong("as-port"), help: "The authorization server's port (loopback, plain HTTP).")
    var authorizationServerPort: Int = SandboxPorts.Component.authorizationServer.defaultPort

    @Option(name: .customLong("resource-port"), help: "The demo resource server's port (loopback, plain HTTP).")
    var resourcePort: Int = SandboxPorts.Component.resourceServer.defaultPort

    @Option(name: .customLong("admin-port"), help: "The gateway's admin port (loopback: /healthz, /readyz, /metrics).")
    var adminPort: Int = SandboxPorts.Component.admin.defaultPort

    @Flag(name: .customLong("exit-after-demo"), help: "Exit after the demo: status 0 only if every step succeeded.")
    var exitAfterDemo = false

    @Option(name: .customLong("log-level"), help: "The components' log level on stderr (trace … critical).")
    var logLevel: String = "warning"

    func run() async throws {
        guard let level = Logger.Level(rawValue: self.logLevel) else {
            throw CommandFailure(description: "--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        var logger = Logger(label: "ob-sandbox", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        let ports = SandboxPorts(
            gateway: self.gatewayPort,
            directory: self.directoryPort,
            authorizationServer: self.authorizationServerPort,
            resourceServer: self.resourcePort,
            admin: self.adminPort
        )
        let sandbox = SandboxUp(
            options: SandboxUpOptions(directory: self.directory, ports: ports, exitAfterDemo: self.exitAfterDemo),
            logger: logger,
            output: { line in
                // Unbuffered: the demo's lines appear as the steps complete.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        )
        let outcome: SandboxUpOutcome
        do {
            outcome = try await sandbox.run()
        } catch let error as SandboxUpError {
            throw CommandFailure(description: error.description)
        }
        guard self.exitAfterDemo else { return }
        if let failed = outcome.failedStep {
            throw CommandFailure(description: "The demo failed at step \"\(failed.title)\".")
        }
        guard outcome.succeeded else {
            throw CommandFailure(description: "The demo did not finish (\(outcome.steps.count) of \(outcome.expectedStepCount) steps ran).")
        }
    }
}
