import Foundation
import Gateway
import GatewayCore
import Testing

/// ``AccessLogReader``, the I/O under `mtls-gateway logs`: line splitting across reads, long
/// lines, compressed files, rotated-file discovery, and `--follow` across rotation — driven
/// step by step from the reader's own "caught up" callback, so no test sleeps.
@Suite("mtls-gateway logs: reader", .timeLimit(.minutes(1)))
struct LogsCommandReaderTests {
    typealias Fixture = LogsCommandFixture

    /// Every line of `path`, as text, plus the reader.
    static func readAll(_ path: String) throws -> (lines: [String], reader: AccessLogReader) {
        let reader = try AccessLogReader(path: path)
        var lines: [String] = []
        let collect: AccessLogReader.LineHandler = { storage, range in
            lines.append(String(decoding: storage[range], as: UTF8.self))
            return true
        }
        #expect(try reader.readAvailable(collect))
        #expect(try reader.finish(collect))
        reader.close()
        return (lines, reader)
    }

    @Test func splitsLinesAcrossReads() throws {
        let path = try Fixture.directory() + "/many.log"
        // ~5 MB: several buffer refills, lines straddling every boundary.
        let expected = (0..<60_000).map { "line \($0) " + String(repeating: "x", count: $0 % 150) }
        try (expected.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let (lines, reader) = try Self.readAll(path)
        #expect(lines == expected)
        #expect(reader.oversizedLines == 0)
        #expect(!reader.isCompressed)
    }

    @Test func lineEndings() throws {
        let path = try Fixture.directory() + "/crlf.log"
        try "a\r\nb\n\nc\r\nlast without newline".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Self.readAll(path).lines == ["a", "b", "", "c", "last without newline"])
    }

    /// A line longer than the buffer is skipped and counted; the next line is read normally.
    @Test func oversizedLinesAreSkipped() throws {
        let path = try Fixture.directory() + "/long.log"
        let long = String(repeating: "y", count: 5 << 20)
        try ("first\n" + long + "\nafter\n" + long).write(toFile: path, atomically: true, encoding: .utf8)
        let (lines, reader) = try Self.readAll(path)
        #expect(lines == ["first", "after"])
        #expect(reader.oversizedLines == 2)
    }

    /// Recognised by content, not by name.
    @Test func readsGzipCompressedFiles() async throws {
        let directory = try Fixture.directory()
        let expected = (0..<20_000).map { Fixture.request(second: $0, requestID: "r\($0)").line(format: .json) }
        try (expected.joined(separator: "\n") + "\n").write(
            toFile: directory + "/rotated", atomically: true, encoding: .utf8)
        try await Fixture.gzip(directory + "/rotated")
        try FileManager.default.moveItem(atPath: directory + "/rotated.gz", toPath: directory + "/rotated")
        let (lines, reader) = try Self.readAll(directory + "/rotated")
        #expect(reader.isCompressed)
        #expect(lines == expected)

        // Stopping early ends the decompressor too.
        let early = try AccessLogReader(path: directory + "/rotated")
        var count = 0
        #expect(
            try early.readAvailable { _, _ in
                count += 1
                return count < 3
            } == false)
        early.close()
        #expect(count == 3)
    }

    @Test func rotatedFilesOldestFirst() throws {
        let directory = try Fixture.directory()
        let names = [
            "access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz", "access.log-20261128.gz",
            "access.log-20261129", "access.log.3.bz2", "access.log.old", "access.log.1.tmp", "other.log.1",
            "access.logx",
        ]
        for name in names {
            FileManager.default.createFile(atPath: directory + "/" + name, contents: Data())
        }
        let files = AccessLogReader.rotatedFiles(of: directory + "/access.log").map {
            ($0 as NSString).lastPathComponent
        }
        #expect(
            files == [
                "access.log-20261128.gz", "access.log-20261129", "access.log.10.gz", "access.log.2.gz", "access.log.1",
                "access.log",
            ])
        #expect(AccessLogReader.rotatedFiles(of: directory + "/absent.log").isEmpty)
    }

    /// `--follow`: appended lines, a logrotate rename with lines still written to the old file
    /// until the gateway reopens, and a `copytruncate`-style truncation. Each step runs when the
    /// reader reports it has caught up, so the sequence is deterministic.
    @Test func followsAppendsRotationAndTruncation() throws {
        let directory = try Fixture.directory()
        let path = directory + "/access.log"
        try "A\n".write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try AccessLogReader(path: path)
        defer { reader.close() }

        func append(_ text: String, to file: String) {
            guard let handle = FileHandle(forWritingAtPath: file) else {
                Issue.record("cannot open \(file)")
                return
            }
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            handle.closeFile()
        }
        let steps: [() -> Void] = [
            { append("B\npartial", to: path) },
            { append(" line\n", to: path) },
            {
                // logrotate renames; the gateway keeps writing to the old file until SIGUSR1,
                // then creates the path again.
                try? FileManager.default.moveItem(atPath: path, toPath: path + ".1")
                append("C\n", to: path + ".1")
            },
            {
                append("D\n", to: path + ".1")
                FileManager.default.createFile(atPath: path, contents: Data("E longer line\n".utf8))
            },
            {
                // copytruncate: the same file emptied, then written again.
                try? FileHandle(forWritingAtPath: path)?.truncate(atOffset: 0)
                append("F\n", to: path)
            },
        ]
        var lines: [String] = []
        var step = 0
        try reader.follow(
            pollInterval: .milliseconds(1),
            shouldStop: { lines.count >= 7 },
            idle: {
                if step < steps.count && lines.count == [1, 2, 3, 4, 6][step] {
                    steps[step]()
                    step += 1
                }
            }
        ) { storage, range in
            lines.append(String(decoding: storage[range], as: UTF8.self))
            return true
        }
        #expect(lines == ["A", "B", "partial line", "C", "D", "E longer line", "F"])
    }
}
