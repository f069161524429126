import Foundation
import Synchronization

/// The built `mtls-gateway` executable run as an operator runs it: `run --config FILE` in a
/// separate process, its stderr (the operational log) captured so tests can await log lines
/// ("listening", "admin listener started", "draining") instead of sleeping, and signals sent to
/// it by process id.
final class ExecutableGateway: Sendable {
    /// The package root (four levels above this file).
    static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// `.build/debug/<name>`.
    static func binary(_ name: String) -> String {
        Self.packageRoot + "/.build/debug/" + name
    }

    private struct State {
        var stderr = ""
        var stderrClosed = false
        var terminationStatus: Int32?
        /// Set once the process has exited *and* its stderr is drained.
        var exitStatus: Int32?
        var logWaiters: [(pattern: String, continuation: CheckedContinuation<String, any Error>)] = []
        var exitWaiters: [CheckedContinuation<Int32, Never>] = []
    }

    private struct WeakReference {
        weak var gateway: ExecutableGateway?
    }

    struct ExitedError: Error, CustomStringConvertible {
        var status: Int32
        var stderr: String
        var description: String { "mtls-gateway exited (\(self.status)) before the expected log line:\n\(self.stderr)" }
    }

    /// The process id, for `kill(2)`.
    let pid: Int32
    /// Kept so Foundation's process monitoring lives as long as this wrapper.
    private let process: Process
    private let state = Mutex(State())

    private init(process: Process) {
        self.process = process
        self.pid = process.processIdentifier
    }

    /// Starts `mtls-gateway run --config <confPath>` with `directory` as working directory.
    static func start(confPath: String, directory: String? = nil) throws -> ExecutableGateway {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary("mtls-gateway"))
        process.arguments = ["run", "--config", confPath]
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Weak: the process holds this handler, and the wrapper holds the process; a strong
        // reference would keep `deinit` (which kills a leftover gateway) from ever running.
        let box = Mutex(WeakReference())
        process.terminationHandler = { process in
            let status = process.terminationStatus
            box.withLock { $0.gateway }?.finish(terminationStatus: status)
        }
        try process.run()
        let gateway = ExecutableGateway(process: process)
        box.withLock { $0.gateway = gateway }
        if !process.isRunning { gateway.finish(terminationStatus: process.terminationStatus) }
        let handle = stderr.fileHandleForReading
        Thread.detachNewThread { [weak gateway] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                gateway?.append(String(decoding: data, as: UTF8.self))
            }
            gateway?.finish(terminationStatus: nil)
        }
        return gateway
    }

    deinit {
        // A failed test must not leave a gateway running.
        if self.state.withLock({ $0.terminationStatus == nil }) { kill(self.pid, SIGKILL) }
    }

    /// Everything the process wrote to stderr so far.
    var stderr: String { self.state.withLock { $0.stderr } }

    /// Waits for a stderr line matching `pattern` (a regular expression) and returns its first
    /// capture group (or the whole match); throws if the process exits first.
    func waitForLog(_ pattern: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<String, any Error>? = self.state.withLock { state in
                if let match = Self.match(pattern, in: state.stderr) { return .success(match) }
                if let status = state.exitStatus { return .failure(ExitedError(status: status, stderr: state.stderr)) }
                state.logWaiters.append((pattern, continuation))
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// The bound port of the listener named `name` (from its "listening" line).
    func listenerPort(_ name: String = "mtls") async throws -> Int {
        let text = try await self.waitForLog(#"127\.0\.0\.1:(\d+) listener="# + name + #" \[Gateway\] listening"#)
        return Int(text) ?? 0
    }

    /// The bound port of the admin listener (from its "admin listener started" line).
    func adminPort() async throws -> Int {
        let text = try await self.waitForLog(#"port=(\d+) \[Gateway\] admin listener started"#)
        return Int(text) ?? 0
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(self.pid, signal)
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status: Int32? = self.state.withLock { state in
                if let status = state.exitStatus { return status }
                state.exitWaiters.append(continuation)
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    private func append(_ text: String) {
        let ready = self.state.withLock { state -> [(CheckedContinuation<String, any Error>, String)] in
            state.stderr += text
            var ready: [(CheckedContinuation<String, any Error>, String)] = []
            state.logWaiters.removeAll { waiter in
                guard let match = Self.match(waiter.pattern, in: state.stderr) else { return false }
                ready.append((waiter.continuation, match))
                return true
            }
            return ready
        }
        for (continuation, match) in ready { continuation.resume(returning: match) }
    }

    /// Records the exit (`terminationStatus`) or the end of stderr (`nil`); "exited" is reported
    /// once both happened, so after an exit the whole log is available.
    private func finish(terminationStatus: Int32?) {
        let finished = self.state.withLock { state -> (logs: [CheckedContinuation<String, any Error>], exits: [CheckedContinuation<Int32, Never>], status: Int32, text: String)? in
            if let terminationStatus { state.terminationStatus = terminationStatus } else { state.stderrClosed = true }
            guard state.exitStatus == nil, state.stderrClosed, let status = state.terminationStatus else { return nil }
            state.exitStatus = status
            defer {
                state.logWaiters = []
                state.exitWaiters = []
            }
            return (state.logWaiters.map(\.continuation), state.exitWaiters, status, state.stderr)
        }
        guard let finished else { return }
        for waiter in finished.logs { waiter.resume(throwing: ExitedError(status: finished.status, stderr: finished.text)) }
        for waiter in finished.exits { waiter.resume(returning: finished.status) }
    }

    private static func match(_ pattern: String, in text: String) -> String? {
        guard let regex = try? Regex(pattern), let match = text.firstMatch(of: regex) else { return nil }
        if match.output.count > 1, let capture = match.output[1].substring { return String(capture) }
        return String(match.output[0].substring ?? "")
    }
}
