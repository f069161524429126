import ArgumentParser
import AuthorizationServer
import Foundation
import Logging
import ServiceLifecycle

/// `authorization-server run --config FILE`: validate, open the database (creating or upgrading
/// its schema), serve until SIGTERM/SIGINT, drain, exit 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the authorization server with a configuration file."
    )

    @Option(name: .shortAndLong, help: "Path to authorization-server.conf (TOML).")
    var config: String

    @Option(help: "Log level for the operational log on stderr (trace, debug, info, notice, warning, error).")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let loaded = try ConfigurationFile.load(self.config)
        let level = self.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "authorization-server")
        for warning in loaded.warnings {
            logger.warning("\(warning)")
        }
        let configuration = loaded.configuration
        let opened: (store: any ClientStore, service: (any Service)?)
        do {
            opened = try await makeClientStore(configuration.database, logger: logger)
        } catch {
            let reason = (error as? ClientStoreError)?.underlying ?? "\(error)"
            throw CommandFailure(description: "cannot open the database: \(reason)")
        }
        logger.info(
            "database ready",
            metadata: ["database": .string(configuration.database.redactedURL)]
        )
        let application: AuthorizationServerApplication
        do {
            application = try await buildAuthorizationServer(
                configuration: configuration,
                store: opened.store,
                logger: logger
            )
        } catch {
            throw CommandFailure(description: "cannot start the server: \(error)")
        }
        // The store's service first: services stop in reverse order, so the database outlives
        // the requests still draining.
        let services = (opened.service.map { [$0] } ?? []) + application.services
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
