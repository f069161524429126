import Foundation
import GatewayCore
import Synchronization
import Testing

/// `mtls-gateway logs --follow` as a process: new lines appear while it runs, rotation is
/// followed, and Ctrl-C ends it cleanly with the malformed-line report. The test waits for
/// output, never for time.
@Suite("mtls-gateway logs --follow", .timeLimit(.minutes(1)))
struct LogsCommandFollowTests {
    typealias Fixture = LogsCommandFixture

    @Test func followsAcrossRotationUntilInterrupted() async throws {
        let directory = try Fixture.directory()
        let path = directory + "/access.log"
        let lines = (0..<5).map { Fixture.request(second: $0, requestID: "f\($0)").line(format: .json) }
        try (lines[0] + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let process = try FollowedProcess.start(["logs", path, "--follow", "--json", "--poll-interval", "10ms"])
        try await process.waitForStdoutLines(1)
        Self.append(lines[1] + "\nnot json\n", to: path)
        try await process.waitForStdoutLines(2)

        // logrotate renames, the gateway writes one more line to the old file, then reopens.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        Self.append(lines[2] + "\n", to: path + ".1")
        try await process.waitForStdoutLines(3)
        FileManager.default.createFile(atPath: path, contents: Data((lines[3] + "\n").utf8))
        try await process.waitForStdoutLines(4)
        Self.append(lines[4] + "\n", to: path)
        try await process.waitForStdoutLines(5)

        process.send(SIGINT)
        let status = await process.waitForExit()
        #expect(status == 0)
        #expect(Fixture.lines(process.stdout) == lines)
        #expect(process.stderr == "1 malformed line skipped\n")
    }

    static func append(_ text: String, to path: String) {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            Issue.record("cannot open \(path)")
            return
        }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        handle.closeFile()
    }
}

/// A long-running `mtls-gateway` process whose standard output is collected as it arrives, so
/// a test can wait for a number of lines and then signal the process.
final class FollowedProcess: Sendable {
    private struct State {
        var stdout = ""
        var stderr = ""
        var stdoutClosed = false
        var stderrClosed = false
        var terminationStatus: Int32?
        var lineWaiters: [(count: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var exitWaiters: [CheckedContinuation<Int32, Never>] = []

        var exitStatus: Int32? {
            self.stdoutClosed && self.stderrClosed ? self.terminationStatus : nil
        }
    }

    struct ExitedEarly: Error, CustomStringConvertible {
        var stdout: String
        var stderr: String
        var description: String { "mtls-gateway exited early; stdout:\n\(self.stdout)\nstderr:\n\(self.stderr)" }
    }

    private let process: Process
    private let state = Mutex(State())

    private init(process: Process) {
        self.process = process
    }

    static func start(_ arguments: [String]) throws -> FollowedProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExecutableGateway.binary("mtls-gateway"))
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let followed = FollowedProcess(process: process)
        process.terminationHandler = { process in
            let status = process.terminationStatus
            followed.update { $0.terminationStatus = status }
        }
        try process.run()
        for (pipe, isStdout) in [(stdout, true), (stderr, false)] {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread {
                while true {
                    let data = handle.availableData
                    let text = String(decoding: data, as: UTF8.self)
                    followed.update { state in
                        if data.isEmpty {
                            if isStdout { state.stdoutClosed = true } else { state.stderrClosed = true }
                        } else if isStdout {
                            state.stdout += text
                        } else {
                            state.stderr += text
                        }
                    }
                    if data.isEmpty { break }
                }
            }
        }
        return followed
    }

    deinit {
        // A failed test must not leave a follower running.
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }

    var stdout: String { self.state.withLock { $0.stdout } }
    var stderr: String { self.state.withLock { $0.stderr } }

    func send(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Returns once standard output holds at least `count` complete lines; throws if the process
    /// exits first.
    func waitForStdoutLines(_ count: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, any Error>? = self.state.withLock { state in
                if Self.lineCount(state.stdout) >= count { return .success(()) }
                if state.exitStatus != nil { return .failure(ExitedEarly(stdout: state.stdout, stderr: state.stderr)) }
                state.lineWaiters.append((count, continuation))
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }

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

    private static func lineCount(_ text: String) -> Int {
        text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// Applies `change`, then resumes the waiters it satisfied.
    private func update(_ change: (inout State) -> Void) {
        let (ready, failed, exited) = self.state.withLock {
            state -> (
                [CheckedContinuation<Void, any Error>], [CheckedContinuation<Void, any Error>],
                [(CheckedContinuation<Int32, Never>, Int32)]
            ) in
            change(&state)
            let lines = Self.lineCount(state.stdout)
            let hasExited = state.exitStatus != nil
            var ready: [CheckedContinuation<Void, any Error>] = []
            var failed: [CheckedContinuation<Void, any Error>] = []
            state.lineWaiters.removeAll { waiter in
                if lines >= waiter.count {
                    ready.append(waiter.continuation)
                    return true
                }
                if hasExited {
                    failed.append(waiter.continuation)
                    return true
                }
                return false
            }
            var exited: [(CheckedContinuation<Int32, Never>, Int32)] = []
            if let status = state.exitStatus {
                exited = state.exitWaiters.map { ($0, status) }
                state.exitWaiters = []
            }
            return (ready, failed, exited)
        }
        ready.forEach { $0.resume() }
        let error = ExitedEarly(stdout: self.stdout, stderr: self.stderr)
        failed.forEach { $0.resume(throwing: error) }
        exited.forEach { $0.0.resume(returning: $0.1) }
    }
}
