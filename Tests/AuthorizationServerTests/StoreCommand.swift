import Foundation

/// The built `authorization-server` executable run to completion, with its exit status and outputs.
struct StoreCommand {
    var status: Int32
    var stdout: String
    var stderr: String

    /// `.build/debug/authorization-server`.
    static let binary = StoreTestDirectory.repositoryRoot + "/.build/debug/authorization-server"

    /// Runs the executable with `arguments` in `directory`.
    static func run(_ arguments: [String], in directory: String) async throws -> StoreCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let outputFile = directory + "/.stdout-\(UUID().uuidString)"
        let errorFile = directory + "/.stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outputFile)
            try? FileManager.default.removeItem(atPath: errorFile)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        process.standardOutput = output
        process.standardError = error
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        try output.close()
        try error.close()
        return StoreCommand(
            status: status,
            stdout: try String(contentsOfFile: outputFile, encoding: .utf8),
            stderr: try String(contentsOfFile: errorFile, encoding: .utf8)
        )
    }
}
