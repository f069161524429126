import Foundation
import Testing

/// Bodies stream both ways with backpressure: a 1 GiB upload and download must not grow memory
/// beyond a few MiB (the test process holds the gateway and the upstream; curl runs outside).
@Suite("streaming", .serialized)
struct StreamingTests {
    static let routes = """
        [[route]]
        name = "api"
        path_prefix = "/"
        upstream = "backend"
        """
    static let size = Int(ProcessInfo.processInfo.environment["STREAM_TEST_BYTES"] ?? "") ?? (1 << 30)

    @Test func gigabyteDownloadAndUploadKeepMemoryBounded() async throws {
        let upstream = try await RecordingUpstream.start()
        let pki = TestPKI.directory
        let gateway = try await GatewayProcess.start(conf: """
            [gateway]
            access_log = "access.log"
            [[listener]]
            name = "mtls"
            address = "127.0.0.1:0"
            certificate_chain = "\(pki)/server-chain.pem"
            private_key = "\(pki)/server.key"
            client_certificate = "required"
            trust_roots = ["\(pki)/root-ca.pem"]
            intermediates = ["\(pki)/issuing-ca.pem"]
            [[upstream]]
            name = "backend"
            servers = ["http://127.0.0.1:\(upstream.port)"]
            response_timeout = "120s"
            [[route]]
            name = "api"
            path_prefix = "/"
            upstream = "backend"
            """)
        let warm = try await Curl.run(port: gateway.port, path: "/download?bytes=1000000", extra: ["-o", "/dev/null"])
        #expect(warm.status == 200)
        let baseline = gateway.memory().current

        let download = try await Curl.run(port: gateway.port, path: "/download?bytes=\(Self.size)", extra: ["-o", "/dev/null", "--max-time", "300"])
        #expect(download.exitCode == 0, "\(download.stderr)")
        #expect(download.status == 200)

        // Upload a sparse 1 GiB file, with Content-Length and chunked.
        let file = gateway.directory + "/upload.bin"
        FileManager.default.createFile(atPath: file, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.truncate(atOffset: UInt64(Self.size))
        try handle.close()
        let upload = try await Curl.run(port: gateway.port, path: "/upload", method: "POST", extra: ["-T", file, "--max-time", "300"])
        #expect(upload.status == 200, "\(upload.stderr)")
        #expect(upload.body == "\(Self.size)", "the upstream counted every byte")
        let chunked = try await Curl.run(port: gateway.port, path: "/upload", method: "POST", headers: ["Transfer-Encoding: chunked"], extra: ["-T", file, "--max-time", "300"])
        #expect(chunked.body == "\(Self.size)")
        try? FileManager.default.removeItem(atPath: file)

        let memory = gateway.memory()
        let growth = memory.peak - baseline
        print("streaming: gateway peak RSS \(memory.peak >> 10) KiB, \(growth >> 10) KiB over the warm baseline, 3 x \(Self.size >> 20) MiB streamed")
        #expect(growth < 16 << 20, "peak memory grew by \(growth >> 20) MiB")
        #expect(await gateway.terminate() == 0, "SIGTERM drains and exits 0")
        let log = try String(contentsOfFile: gateway.directory + "/access.log", encoding: .utf8)
        #expect(log.contains("\"bytes_sent\":\(Self.size)"))
        #expect(log.contains("\"bytes_received\":\(Self.size)"))
        await upstream.stop()
    }

    @Test func expect100ContinueAndHTTP10() async throws {
        let upstream = try await RecordingUpstream.start()
        let gateway = try await GatewayHarness.start(upstreams: GatewayHarness.upstreamTOML(port: upstream.port), routes: Self.routes)

        // curl sends Expect: 100-continue for bodies over 1 MiB; force it for a small one.
        let body = String(repeating: "z", count: 5000)
        let continued = try await Curl.run(port: gateway.port, path: "/upload", method: "POST", headers: ["Expect: 100-continue"], data: body, extra: ["-v"])
        #expect(continued.status == 200)
        #expect(continued.body == "5000")
        #expect(continued.stderr.contains("HTTP/1.1 100 Continue"))
        #expect(upstream.requests.last?.header("expect") == nil)

        let old = try await Curl.run(port: gateway.port, path: "/download?bytes=1000", headers: ["Connection: keep-alive"], extra: ["--http1.0"])
        #expect(old.status == 200)
        #expect(old.headers["transfer-encoding"] == nil)
        #expect(old.headers["connection"]?.lowercased() == "keep-alive")
        try await gateway.stop()
        await upstream.stop()
    }
}

enum ProcessMemory {
    /// VmRSS of this process in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return digits * 1024
        }
        return 0
    }
}
