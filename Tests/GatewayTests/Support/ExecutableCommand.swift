import Foundation

/// A command run to completion (`mtls-gateway check-config`, `ob-sandbox pki init`, `openssl`),
/// optionally in a working directory, with its exit status and both outputs.
struct ExecutableCommand {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `path` with `arguments` in `directory`; standard input is `stdin` (then closed), or
    /// kept open for `keepStdinOpenFor` seconds to model a client that waits.
    static func run(
        _ path: String,
        _ arguments: [String],
        in directory: String? = nil,
        stdin: Data? = nil,
        keepStdinOpenFor: Double = 0
    ) async throws -> ExecutableCommand {
        let (status, stdout, stderr) = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<(Int32, String, String), any Error>) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            let out = Pipe()
            let err = Pipe()
            let input = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            // Drain both pipes while the process runs, so a chatty process never blocks on a full pipe.
            let collected = DispatchGroup()
            let outData = LockedData()
            let errData = LockedData()
            for (pipe, sink) in [(out, outData), (err, errData)] {
                collected.enter()
                let handle = pipe.fileHandleForReading
                Thread.detachNewThread {
                    sink.set(handle.readDataToEndOfFile())
                    collected.leave()
                }
            }
            process.terminationHandler = { process in
                let status = process.terminationStatus
                collected.notify(queue: .global()) {
                    continuation.resume(returning: (status, outData.text, errData.text))
                }
            }
            do {
                try process.run()
                let writer = input.fileHandleForWriting
                if let stdin { writer.write(stdin) }
                if keepStdinOpenFor > 0 {
                    DispatchQueue.global().asyncAfter(deadline: .now() + keepStdinOpenFor) { try? writer.close() }
                } else {
                    try? writer.close()
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
        return ExecutableCommand(status: status, stdout: stdout, stderr: stderr)
    }
}

/// Bytes handed from a reader thread to the termination handler.
private final class LockedData: @unchecked Sendable {
    // @unchecked: `data` is written once by the reader thread before `DispatchGroup.leave()` and read
    // only after `notify`, which orders the two.
    private var data = Data()
    func set(_ data: Data) { self.data = data }
    var text: String { String(decoding: self.data, as: UTF8.self) }
}
