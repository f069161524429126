import AuthorizationServer
import Foundation
import Logging
import ServiceLifecycle

/// Opens the configured store for one CLI operation, runs it, and closes the store.
enum ClientStoreSession {
    /// Runs `operation` on the store of the configuration at `configPath`.
    ///
    /// A SQLite file that does not exist is an error here (the server creates it; a typo in the
    /// path must not silently create an empty database). Store failures become one sentence.
    static func run<Result: Sendable>(
        configPath: String,
        _ operation: @Sendable (any ClientStore) async throws(ClientStoreError) -> Result
    ) async throws -> Result {
        var configuration = try ConfigurationFile.load(configPath).configuration
        // An operator at a terminal wants the error now, not after the server's start-up wait.
        configuration.database.startupWait = .zero
        if case .sqlite(let path) = configuration.database.kind, path != DatabaseKind.sqliteMemoryPath,
            !FileManager.default.fileExists(atPath: path)
        {
            throw CommandFailure(
                description: "the database \(path) does not exist yet; the server creates it on its first start."
            )
        }
        let logger = Logger(label: "authorization-server", factory: { _ in SwiftLogNoOpLogHandler() })
        let opened: (store: any ClientStore, service: (any Service)?)
        do {
            opened = try await makeClientStore(configuration.database, logger: logger)
        } catch {
            throw CommandFailure(description: "cannot open the database: \(Self.reason(error))")
        }
        let service = opened.service
        let serviceTask = Task {
            try await service?.run()
        }
        let outcome: Swift.Result<Result, ClientStoreError>
        do {
            outcome = .success(try await operation(opened.store))
        } catch {
            outcome = .failure(error)
        }
        // Let the service close the connections before the store goes away.
        serviceTask.cancel()
        _ = await serviceTask.result
        switch outcome {
        case .success(let result):
            return result
        case .failure(let error):
            throw CommandFailure(description: "database error: \(error.underlying)")
        }
    }

    /// The operator-facing reason of a store failure.
    private static func reason(_ error: any Error) -> String {
        (error as? ClientStoreError)?.underlying ?? "\(error)"
    }
}
