import Foundation

extension AccessLogReader {
    /// A `gzip -dc` child process: reads the compressed file on its standard input, writes the
    /// log lines into a pipe that the reader reads like a plain file.
    ///
    /// Why a child process: zlib is not linked into this package (adding a system-library target
    /// is a build change), and `gzip` is essential on every Debian-based system (the runtime
    /// image included). Decompression then also runs on another core while this process parses.
    /// The child's exit status is checked at the end of the stream, so a truncated or corrupt
    /// file is an error, not silently shorter; an exit status of 2 is gzip's "warning" (e.g.
    /// trailing garbage) and is accepted.
    final class Decompressor {
        /// The read end of the pipe carrying the decompressed lines.
        let output: CInt
        private let process: Process
        private let outputPipe = Pipe()
        private let errorPipe = Pipe()
        private var checked = false

        init(input: CInt) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try Self.executable())
            process.arguments = ["-dc"]
            process.standardInput = FileHandle(fileDescriptor: input, closeOnDealloc: false)
            process.standardOutput = self.outputPipe
            process.standardError = self.errorPipe
            try process.run()
            self.process = process
            self.output = self.outputPipe.fileHandleForReading.fileDescriptor
        }

        /// After the end of the stream: throws if gzip failed.
        func checkSuccess(path: String) throws(AccessLogReaderError) {
            guard !self.checked else {
                return
            }
            self.checked = true
            self.process.waitUntilExit()
            let status = self.process.terminationStatus
            guard self.process.terminationReason == .exit, status == 0 || status == 2 else {
                let data = (try? self.errorPipe.fileHandleForReading.readToEnd()) ?? Data()
                let message =
                    String(decoding: data, as: UTF8.self)
                    .split(separator: "\n").first.map(String.init) ?? "gzip exited with status \(status)"
                throw .decompressionFailed(path: path, reason: message)
            }
        }

        /// Stops the child if it is still running (the reader stopped early) and closes the pipe.
        func terminate() {
            if self.process.isRunning {
                self.process.terminate()
            }
            try? self.outputPipe.fileHandleForReading.close()
            self.process.waitUntilExit()
            try? self.errorPipe.fileHandleForReading.close()
        }

        /// The `gzip` executable: the standard locations first, then `PATH`.
        private static func executable() throws -> String {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            let candidates = ["/usr/bin/gzip", "/bin/gzip"] + path.split(separator: ":").map { "\($0)/gzip" }
            guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
                throw DecompressorNotFound()
            }
            return found
        }
    }

    /// No `gzip` executable was found.
    struct DecompressorNotFound: Error, CustomStringConvertible {
        var description: String { "no gzip executable in /usr/bin, /bin or PATH" }
    }
}
