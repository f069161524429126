import Logging
import ServiceLifecycle

extension SandboxDirectoryServer {
    /// Runs the server until Ctrl-C or SIGTERM (``InterruptSignalService``), calling `onListening`
    /// with the base URL once the port is bound: what `ob-sandbox directory serve` does.
    ///
    /// - Throws: ``SandboxDirectoryServerError`` when the port cannot be bound.
    public func runUntilInterrupted(
        logger: Logger = Logger(label: "ob-sandbox"),
        onListening: @escaping @Sendable (String) -> Void
    ) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: self),
                    .init(service: InterruptSignalService(), successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await group.run()
            }
            tasks.addTask {
                if (try? await self.boundPort) != nil {
                    onListening(self.publicBaseURL)
                }
            }
            try await tasks.waitForAll()
        }
    }
}
