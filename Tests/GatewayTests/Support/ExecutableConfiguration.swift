import Foundation

/// Configuration files for the process tests: each in a fresh temporary folder, with the test PKI,
/// a listener and admin listener on port 0, one upstream and one catch-all route.
enum ExecutableConfiguration {
    /// A fresh temporary folder.
    static func makeDirectory(_ prefix: String = "gwx") throws -> String {
        let directory = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Writes `gateway.conf` into a fresh folder and returns its path; `access_log` defaults to a
    /// relative `access.log` (next to the file). `gatewayExtra` lines go into `[gateway]`.
    static func write(
        upstreamPort: Int,
        accessLog: String = "access.log",
        gatewayExtra: String = "",
        responseTimeout: String = "30s"
    ) throws -> String {
        let directory = try Self.makeDirectory()
        let pki = TestPKI.directory
        let conf = """
            [gateway]
            access_log = "\(accessLog)"
            \(gatewayExtra)

            [admin]
            address = "127.0.0.1:0"

            [[listener]]
            name = "mtls"
            address = "127.0.0.1:0"
            certificate_chain = "\(pki)/server-chain.pem"
            private_key = "\(pki)/server.key"
            client_certificate = "optional"
            trust_roots = ["\(pki)/root-ca.pem"]
            intermediates = ["\(pki)/issuing-ca.pem"]

            [identity_headers]
            forward = ["rfc9440", "derived", "xfcc", "nginx", "apache"]

            [[upstream]]
            name = "backend"
            servers = ["http://127.0.0.1:\(upstreamPort)"]
            response_timeout = "\(responseTimeout)"

            [[route]]
            name = "api"
            path_prefix = "/"
            upstream = "backend"
            """
        let path = directory + "/gateway.conf"
        try conf.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The folder of a configuration file.
    static func directory(of confPath: String) -> String {
        (confPath as NSString).deletingLastPathComponent
    }

    /// A plain-HTTP GET with curl (admin endpoints): (status, body).
    static func adminGet(port: Int, path: String) async throws -> (status: Int, body: String) {
        let result = try await ExecutableCommand.run(
            "/usr/bin/curl",
            ["-sS", "--max-time", "10", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)\(path)"]
        )
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        return (status, lines.dropLast().joined(separator: "\n"))
    }
}
