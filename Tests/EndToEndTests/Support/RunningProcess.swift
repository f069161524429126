#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A built executable running as a separate process, as a user runs it: both outputs collected,
/// waits for a line matching a pattern (to learn a port bound to 0) or for the exit, each with a
/// deadline instead of sleeps.
final class RunningProcess: @unchecked Sendable {
    // @unchecked: `process` is configured in `init` before `run()`; afterwards it is only read
    // (pid, status) and signalled. Everything mutable is in `state`, behind its Mutex.

    /// Which output.
    enum Stream: Sendable { case stdout, stderr }

    /// The process did not do what was awaited in time, or exited first.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private struct Waiter {
        let id: Int
        let stream: Stream
        let pattern: String
        let continuation: CheckedContinuation<String, any Error>
    }

    private struct State {
        var stdout = ""
        var stderr = ""
        var openStreams = 2
        var status: Int32?
        var waiters: [Waiter] = []
        var exitWaiters: [CheckedContinuation<Int32, Never>] = []
        var nextID = 0
    }

    /// A short name for messages (`mtls-gateway`).
    let name: String
    private let process: Process
    private let state = Mutex(State())

    /// Starts `executable` with `arguments` in `directory`.
    /// Starts `executable`; `environment` adds to (or overrides) this process's environment.
    init(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws {
        self.name = URL(fileURLWithPath: executable).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        self.process = process
        process.terminationHandler = { [weak self] process in
            self?.exited(process.terminationStatus)
        }
        try process.run()
        for (pipe, stream) in [(out, Stream.stdout), (err, Stream.stderr)] {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    self.append(String(decoding: data, as: UTF8.self), to: stream)
                }
                self.closed(stream)
            }
        }
    }

    /// Everything written to standard output so far.
    var stdout: String { self.state.withLock { $0.stdout } }
    /// Everything written to standard error so far.
    var stderr: String { self.state.withLock { $0.stderr } }

    /// The first match of the regular expression `pattern` in `stream`, waiting up to `timeout`
    /// seconds for it to appear.
    func waitFor(_ pattern: String, in stream: Stream, timeout: Double = 60) async throws -> String {
        let id = self.state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
            self.fail(id, reason: "no line matching \(pattern) within \(Int(timeout)) s")
        }
        return try await withCheckedThrowingContinuation { continuation in
            self.state.withLock { state in
                state.waiters.append(Waiter(id: id, stream: stream, pattern: pattern, continuation: continuation))
            }
            self.check()
        }
    }

    /// The first capture group's number in the first match of `pattern` (a port).
    func waitForPort(_ pattern: String, in stream: Stream, timeout: Double = 60) async throws -> Int {
        let match = try await self.waitFor(pattern, in: stream, timeout: timeout)
        guard let digits = match.range(of: "[0-9]+$", options: .regularExpression), let port = Int(match[digits]) else {
            throw Failure(description: "\(self.name): no port in '\(match)'")
        }
        return port
    }

    /// Waits for the exit (SIGKILL after `timeout` seconds) and returns the status.
    func waitForExit(timeout: Double = 180) async -> Int32 {
        let pid = self.process.processIdentifier
        let timer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let status = await withCheckedContinuation { continuation in
            let status: Int32? = self.state.withLock { state in
                if let status = state.status, state.openStreams == 0 {
                    return status
                }
                state.exitWaiters.append(continuation)
                return nil
            }
            if let status {
                continuation.resume(returning: status)
            }
        }
        timer.cancel()
        return status
    }

    /// SIGTERM, then the exit status (a graceful shutdown flushes logs).
    func terminate(timeout: Double = 30) async -> Int32 {
        if self.state.withLock({ $0.status == nil }) {
            kill(self.process.processIdentifier, SIGTERM)
        }
        return await self.waitForExit(timeout: timeout)
    }

    private func append(_ text: String, to stream: Stream) {
        self.state.withLock { state in
            switch stream {
            case .stdout: state.stdout += text
            case .stderr: state.stderr += text
            }
        }
        self.check()
    }

    private func closed(_ stream: Stream) {
        self.state.withLock { $0.openStreams -= 1 }
        self.finishIfDone()
    }

    private func exited(_ status: Int32) {
        self.state.withLock { $0.status = status }
        self.finishIfDone()
    }

    /// Once the process exited and both pipes are drained: wake exit waiters, fail pattern waiters.
    private func finishIfDone() {
        let (exitWaiters, status, waiters) = self.state.withLock { state -> ([CheckedContinuation<Int32, Never>], Int32, [Waiter]) in
            guard let status = state.status, state.openStreams == 0 else { return ([], 0, []) }
            let result = (state.exitWaiters, status, state.waiters)
            state.exitWaiters = []
            state.waiters = []
            return result
        }
        for waiter in exitWaiters {
            waiter.resume(returning: status)
        }
        for waiter in waiters {
            let output = self.state.withLock { $0.stdout + $0.stderr }
            waiter.continuation.resume(throwing: Failure(description: "\(self.name) exited with \(status) before printing \(waiter.pattern):\n\(output)"))
        }
    }

    /// Resumes every waiter whose pattern now matches.
    private func check() {
        let matched: [(Waiter, String)] = self.state.withLock { state in
            var matched: [(Waiter, String)] = []
            state.waiters.removeAll { waiter in
                let text = waiter.stream == .stdout ? state.stdout : state.stderr
                guard let range = text.range(of: waiter.pattern, options: .regularExpression) else { return false }
                matched.append((waiter, String(text[range])))
                return true
            }
            return matched
        }
        for (waiter, match) in matched {
            waiter.continuation.resume(returning: match)
        }
    }

    private func fail(_ id: Int, reason: String) {
        let waiter = self.state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        guard let waiter else { return }
        let output = self.stdout + self.stderr
        waiter.continuation.resume(throwing: Failure(description: "\(self.name): \(reason); output so far:\n\(output)"))
    }
}
