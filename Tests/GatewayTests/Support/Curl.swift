import Foundation

/// Runs the real `curl` against the gateway, as a TPP would.
struct Curl {
    struct Result {
        var exitCode: Int32
        var status: Int
        var body: String
        var headers: [String: String]
        var stderr: String
    }

    /// Which client certificate to present (files of the test PKI), or none.
    enum ClientCertificate {
        case none
        /// Leaf and key file names in the PKI folder.
        case files(cert: String, key: String)

        static let transport = ClientCertificate.files(cert: "tpp-transport.pem", key: "tpp-transport.key")
        static let transportChain = ClientCertificate.files(cert: "tpp-transport-chain.pem", key: "tpp-transport.key")
    }

    static func run(
        port: Int,
        path: String,
        method: String = "GET",
        certificate: ClientCertificate = .transport,
        headers: [String] = [],
        data: String? = nil,
        extra: [String] = [],
        host: String = "localhost"
    ) async throws -> Result {
        let directory = NSTemporaryDirectory() + "curl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var arguments = [
            "-sS",
            "--cacert", TestPKI.path("root-ca.pem"),
            "-o", directory + "/body", "-D", directory + "/headers",
            "-w", "%{http_code}",
            "-X", method,
            "--resolve", "\(host):\(port):127.0.0.1",
        ]
        if case .files(let cert, let key) = certificate {
            arguments += ["--cert", TestPKI.path(cert), "--key", TestPKI.path(key)]
        }
        for header in headers { arguments += ["-H", header] }
        if let data { arguments += ["--data-binary", data] }
        arguments += extra
        if !extra.contains("--max-time") { arguments += ["--max-time", "20"] }
        arguments.append("https://\(host):\(port)\(path)")
        let (code, out, err) = try await Process.runCollecting("/usr/bin/curl", arguments)
        let body = (try? String(contentsOfFile: directory + "/body", encoding: .utf8)) ?? ""
        let rawHeaders = (try? String(contentsOfFile: directory + "/headers", encoding: .utf8)) ?? ""
        var parsed: [String: String] = [:]
        for line in rawHeaders.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Result(exitCode: code, status: Int(out) ?? 0, body: body, headers: parsed, stderr: err)
    }
}

extension Process {
    /// Runs a program to completion off the cooperative pool and returns (exit code, stdout, stderr).
    /// `keepStdinOpenFor` seconds of open standard input model a client that stalls mid-request.
    static func runCollecting(
        _ path: String,
        _ arguments: [String],
        stdin: Data? = nil,
        keepStdinOpenFor: Double = 0
    ) async throws -> (Int32, String, String) {
        try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            let input = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            process.terminationHandler = { process in
                let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                continuation.resume(returning: (process.terminationStatus, stdout, stderr))
            }
            do {
                try process.run()
                if let stdin { input.fileHandleForWriting.write(stdin) }
                if keepStdinOpenFor > 0 {
                    let handle = input.fileHandleForWriting
                    DispatchQueue.global().asyncAfter(deadline: .now() + keepStdinOpenFor) { try? handle.close() }
                } else {
                    try? input.fileHandleForWriting.close()
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
