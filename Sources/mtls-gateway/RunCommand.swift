import ArgumentParser
import Foundation
import Gateway
import GatewayCore
import Logging
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// `mtls-gateway run --config FILE`: validate, bind, serve until SIGTERM/SIGINT, drain, exit 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway with a configuration file."
    )

    @Option(name: .shortAndLong, help: "Path to gateway.conf (TOML).")
    var config: String

    @Option(help: "Log level for the operational log on stderr (trace, debug, info, notice, warning, error).")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let level = self.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "mtls-gateway")
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader.load(path: self.config)
        } catch {
            // Every problem, one per line, then a non-zero exit before any port is bound.
            FileHandle.standardError.write(Data("invalid configuration \(self.config):\n\(error.description)\n".utf8))
            throw ExitCode(1)
        }
        for warning in loaded.warnings {
            logger.warning("\(warning)")
        }
        let application = try buildGateway(configuration: loaded.configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: application.services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
