import Foundation

/// The built `mtls-gateway` executable run as a user runs it (a separate process), for tests
/// that measure its memory or signal handling.
final class GatewayProcess: @unchecked Sendable {
    // @unchecked: `process` is only mutated in `start` before the instance is shared.
    let process: Process
    let port: Int
    let directory: String
    private let stderrPipe: Pipe

    static var executable: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/mtls-gateway").path
    }

    /// Starts the executable with a conf whose listener binds port 0 and learns the port from the
    /// "listening" log line.
    static func start(conf: String) async throws -> GatewayProcess {
        let directory = NSTemporaryDirectory() + "gwp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/gateway.conf"
        try conf.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["run", "--config", path]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let port = try await Self.readPort(from: stderr.fileHandleForReading)
        return GatewayProcess(process: process, port: port, directory: directory, stderr: stderr)
    }

    private init(process: Process, port: Int, directory: String, stderr: Pipe) {
        self.process = process
        self.port = port
        self.directory = directory
        self.stderrPipe = stderr
    }

    private static func readPort(from handle: FileHandle) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                while true {
                    let data = handle.availableData
                    if data.isEmpty {
                        continuation.resume(throwing: CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "gateway exited: \(text)"]))
                        return
                    }
                    text += String(decoding: data, as: UTF8.self)
                    // "… listening address=[IPv4]127.0.0.1/127.0.0.1:PORT listener=mtls"
                    if let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                        let match = text[range]
                        let port = Int(match.split(separator: ":").last ?? "") ?? 0
                        continuation.resume(returning: port)
                        return
                    }
                }
            }
        }
    }

    /// Peak resident memory (VmHWM) and current (VmRSS) of the gateway process, in bytes.
    func memory() -> (peak: Int, current: Int) {
        guard let status = try? String(contentsOfFile: "/proc/\(self.process.processIdentifier)/status", encoding: .utf8) else {
            return (0, 0)
        }
        func value(_ key: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(key) {
                return (line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
            }
            return 0
        }
        return (value("VmHWM:"), value("VmRSS:"))
    }

    /// Sends SIGTERM and waits for the exit status.
    func terminate() async -> Int32 {
        kill(self.process.processIdentifier, SIGTERM)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }
}
