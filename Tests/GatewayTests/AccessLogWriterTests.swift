import Foundation
import GatewayCore
import Logging
import ServiceLifecycle
import Testing

@testable import Gateway

/// Serialized: `sigusr1ReopensTheFile` signals the whole process, which would also reopen the
/// writer of a concurrently running rotation test.
@Suite("Access log writer", .serialized)
struct AccessLogWriterTests {
    /// A fresh folder under the system temporary directory; the log goes two levels below it, in
    /// folders that do not exist yet.
    struct Sandbox {
        let root: URL
        let logPath: String

        init() {
            self.root = FileManager.default.temporaryDirectory
                .appendingPathComponent("access-log-tests-\(UUID().uuidString)")
            self.logPath = self.root.appendingPathComponent("logs/gateway/access.log").path
        }

        func lines(_ path: String? = nil) throws -> [String] {
            let text = try String(contentsOfFile: path ?? self.logPath, encoding: .utf8)
            return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }

        func remove() {
            try? FileManager.default.removeItem(at: self.root)
        }
    }

    static let logger = Logger(label: "test.access-log")

    static func event(_ index: Int) -> AccessLogEvent {
        .request(
            AccessLogRecord(
                time: Date(timeIntervalSince1970: 1_796_035_088 + Double(index)),
                requestID: "req-\(index)",
                downstreamAddress: "203.0.113.9:5000",
                clientVerify: "NONE",
                method: "GET",
                path: "/item/\(index)?secret=1",
                protocol: "HTTP/1.1",
                status: 200,
                bytesReceived: 0,
                bytesSent: 10,
                durationMS: 1.5
            )
        )
    }

    /// Runs `writer` in a `ServiceGroup` for the duration of `body`, then shuts it down gracefully
    /// and waits for `run()` to return.
    static func withRunningWriter(
        _ writer: AccessLogWriter,
        _ body: (AccessLogWriter) async throws -> Void
    ) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: writer)], gracefulShutdownSignals: [], logger: Self.logger)
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await group.run()
            }
            do {
                try await body(writer)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func linesAppearAfterFlushInNewFolders() async throws {
        let sandbox = Sandbox()
        defer { sandbox.remove() }
        let writer = AccessLogWriter(destination: .file(path: sandbox.logPath), format: .json, logger: Self.logger)
        try await Self.withRunningWriter(writer) { writer in
            for index in 0..<3 {
                writer.log(Self.event(index))
            }
            await writer.flush()
            let lines = try sandbox.lines()
            #expect(lines.count == 3)
            for (index, line) in lines.enumerated() {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["request_id"] as? String == "req-\(index)")
                #expect(object["path"] as? String == "/item/\(index)")
            }
        }
        #expect(writer.droppedEvents == 0)
    }

    @Test func appendsToAnExistingFileInCombinedFormat() async throws {
        let sandbox = Sandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(
            atPath: (sandbox.logPath as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try "earlier line\n".write(toFile: sandbox.logPath, atomically: false, encoding: .utf8)
        let writer = AccessLogWriter(destination: .file(path: sandbox.logPath), format: .combined, logger: Self.logger)
        try await Self.withRunningWriter(writer) { writer in
            writer.log(Self.event(1))
            await writer.flush()
        }
        let lines = try sandbox.lines()
        #expect(lines.count == 2)
        #expect(lines[0] == "earlier line")
        #expect(lines[1].hasPrefix(#"203.0.113.9 - - [30/Nov/2026:10:38:09 +0000] "GET /item/1 HTTP/1.1" 200 10 "#))
    }

    @Test func reopenAfterRenameWritesToANewFile() async throws {
        let sandbox = Sandbox()
        defer { sandbox.remove() }
        let rotated = sandbox.logPath + ".1"
        let writer = AccessLogWriter(destination: .file(path: sandbox.logPath), format: .json, logger: Self.logger)
        try await Self.withRunningWriter(writer) { writer in
            writer.log(Self.event(1))
            await writer.flush()
            try FileManager.default.moveItem(atPath: sandbox.logPath, toPath: rotated)  // logrotate: rename…
            writer.log(Self.event(2))  // …lines still in flight go to the renamed file…
            writer.reopen()  // …then signal
            writer.log(Self.event(3))
            await writer.flush()
        }
        #expect(try sandbox.lines(rotated).count == 2)
        let fresh = try sandbox.lines()
        #expect(fresh.count == 1)
        #expect(fresh.first?.contains(#""request_id":"req-3""#) == true)
    }

    @Test func sigusr1ReopensTheFile() async throws {
        let sandbox = Sandbox()
        defer { sandbox.remove() }
        let writer = AccessLogWriter(destination: .file(path: sandbox.logPath), format: .json, logger: Self.logger)
        try await Self.withRunningWriter(writer) { writer in
            writer.log(Self.event(0))
            await writer.flush()  // the loop is running, so the signal source is installed
            try FileManager.default.moveItem(atPath: sandbox.logPath, toPath: sandbox.logPath + ".1")
            kill(getpid(), SIGUSR1)
            // The reopen is queued from a Dispatch handler: write until the new file appears.
            var attempts = 0
            while !FileManager.default.fileExists(atPath: sandbox.logPath), attempts < 10_000 {
                attempts += 1
                writer.log(Self.event(attempts))
                await writer.flush()
                await Task.yield()
            }
            #expect(FileManager.default.fileExists(atPath: sandbox.logPath))
        }
    }

    @Test func aFullQueueDropsAndCountsInsteadOfBlocking() async throws {
        let sandbox = Sandbox()
        defer { sandbox.remove() }
        let writer = AccessLogWriter(
            destination: .file(path: sandbox.logPath),
            format: .json,
            logger: Self.logger,
            capacity: 10
        )
        for index in 0..<15 {  // not running yet: nothing drains the queue
            writer.log(Self.event(index))
        }
        #expect(writer.droppedEvents == 5)
        try await Self.withRunningWriter(writer) { writer in
            await writer.flush()
        }
        let lines = try sandbox.lines()
        #expect(lines.count == 10)
        #expect(lines.last?.contains(#""request_id":"req-9""#) == true)
    }

    @Test func gracefulShutdownDrainsEverythingQueued() async throws {
        let sandbox = Sandbox()
        defer { sandbox.remove() }
        let writer = AccessLogWriter(destination: .file(path: sandbox.logPath), format: .json, logger: Self.logger)
        try await Self.withRunningWriter(writer) { writer in
            writer.log(Self.event(0))
            await writer.flush()  // the group is running, so the shutdown below reaches run()
            for index in 1...5_000 {
                writer.log(Self.event(index))
            }
            // No flush: the shutdown itself must write everything.
        }
        #expect(try sandbox.lines().count == 5_001)
        #expect(writer.droppedEvents == 0)
        writer.log(Self.event(0))  // after run() returned: dropped, counted, never blocks
        #expect(writer.droppedEvents == 1)
        await writer.flush()  // returns at once once finished
    }
}
