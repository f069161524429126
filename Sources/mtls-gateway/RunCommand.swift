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
        let reopenSignal = await Self.keepSIGUSR1FromTerminating()
        defer { reopenSignal.cancel() }
        let group = ServiceGroup(
            configuration: .init(
                services: application.services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Registers a do-nothing `SIGUSR1` source before any listener is bound, and returns once
    /// Dispatch has registered it.
    ///
    /// Why: the default action of `SIGUSR1` terminates the process, and the access-log writer's own
    /// source (which reopens the file) is installed concurrently with the listeners and removed
    /// when the writer stops; a logrotate `postrotate` landing in either window would kill the
    /// gateway. Every Dispatch source for a signal sees it, so this one only changes the default.
    private static func keepSIGUSR1FromTerminating() async -> any DispatchSourceSignal {
        #if canImport(Darwin)
        signal(SIGUSR1, SIG_IGN)  // kqueue delivers to sources below signal(3); see AccessLogWriter
        #endif
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler {}
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            source.setRegistrationHandler {
                continuation.resume()
            }
            source.resume()
        }
        return source
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
