import Foundation

/// One sandbox PKI (RSA, as Open Banking: generated once per test run with `ob-sandbox pki init`,
/// a few seconds) copied into each test's workspace, so that no test depends on another's files.
enum SharedPKI {
    private static let generated = Task<String, any Error> {
        let workspace = try Workspace.make("pki")
        SharedPKIRemoval.register(workspace.path)
        let result = try await Executables.obSandbox(["pki", "init", "--out", "pki"], in: workspace.path)
        guard result.status == 0 else {
            throw RunningProcess.Failure(description: "ob-sandbox pki init failed: \(result)")
        }
        return workspace.file("pki")
    }

    /// Copies the PKI to `workspace/pki` and returns that path.
    static func copy(into workspace: Workspace) async throws -> String {
        let source = try await Self.generated.value
        let destination = workspace.file("pki")
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        return destination
    }
}

/// Removes the shared PKI's folder when the test process exits (Swift Testing has no suite-level
/// teardown).
private enum SharedPKIRemoval {
    // nonisolated(unsafe): written once, by the task that creates the folder, before the exit
    // handler can run; read only by that handler.
    nonisolated(unsafe) static var path: String?

    static func register(_ path: String) {
        Self.path = path
        atexit {
            if let path = SharedPKIRemoval.path {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}
