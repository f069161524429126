import Foundation

/// The executables under test, as `swift build` leaves them in `.build/debug`, and a helper to
/// run one to completion.
enum Executables {
    /// The package root (three levels above this file).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var obSandbox: String { Self.path("ob-sandbox") }
    static var gateway: String { Self.path("mtls-gateway") }
    static var authorizationServer: String { Self.path("authorization-server") }

    /// `.build/debug/<name>`; a test fails with a clear message if it was not built.
    static func path(_ name: String) -> String {
        Self.packageRoot.appendingPathComponent(".build/debug").appendingPathComponent(name).path
    }

    /// Whether all three are built (`swift build --build-tests` builds them).
    static var missing: [String] {
        [Self.obSandbox, Self.gateway, Self.authorizationServer].filter { !FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What a finished process printed.
    struct Result: Sendable, CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String

        var description: String {
            "exit \(self.status)\n--- stdout\n\(self.stdout)\n--- stderr\n\(self.stderr)"
        }
    }

    /// Runs `executable` with `arguments` in `directory` until it exits (killed after `timeout` s).
    static func run(_ executable: String, _ arguments: [String], in directory: String, timeout: Double = 180) async throws
        -> Result
    {
        let process = try RunningProcess(executable, arguments, in: directory)
        let status = await process.waitForExit(timeout: timeout)
        return Result(status: status, stdout: process.stdout, stderr: process.stderr)
    }

    /// `ob-sandbox <arguments>` in `directory`.
    static func obSandbox(_ arguments: [String], in directory: String) async throws -> Result {
        try await Self.run(Self.obSandbox, arguments, in: directory)
    }
}
