import Foundation
import Gateway
import GatewayCore

extension LogsCommand {
    /// One pass over the files: parse each line, count malformed ones, apply the query, and send
    /// matches to the output (or the summary).
    final class Scan {
        /// What happens to a matching line.
        enum Mode {
            /// The line as logged (JSON lines).
            case json
            /// An ``AccessLogQuery/Table`` row.
            case table
            /// Counted into ``summary``; rendered as JSON or text at the end.
            case summary(json: Bool)
        }

        /// A file in the Apache `combined` format was met.
        struct CombinedFormat: Error, CustomStringConvertible {
            let path: String
            var description: String {
                let name = self.path == "-" ? "standard input" : self.path
                return
                    "\(name) is in the combined log format, and mtls-gateway logs reads only JSON access logs (access_log_format = \"json\")."
            }
        }

        private let query: AccessLogQuery
        private let mode: Mode
        private let output: Output
        private let limit: Int?
        private(set) var summary = AccessLogSummary()
        private(set) var malformedLines = 0
        private(set) var matchedLines = 0
        private var isDone = false
        private var currentPath = ""
        private var sawJSONInFile = false

        init(query: AccessLogQuery, mode: Mode, output: Output, limit: Int?) {
            self.query = query
            self.mode = mode
            self.output = output
            self.limit = limit
        }

        /// Reads `files` in order (following the last one when `follow`); returns the read errors
        /// met on the way (each file that failed is abandoned, the others are still read).
        /// - Throws: ``Failure`` for a combined-format file.
        func run(files: [String], follow: Bool, pollInterval: Duration, shouldStop: () -> Bool) throws -> [String] {
            if case .table = self.mode {
                self.output.append(AccessLogQuery.Table.header + "\n")
            }
            var failures: [String] = []
            for (index, path) in files.enumerated() where !self.isDone {
                self.currentPath = path
                self.sawJSONInFile = false
                do {
                    let reader = try AccessLogReader(path: path)
                    defer {
                        self.malformedLines += reader.oversizedLines
                        reader.close()
                    }
                    if follow, index == files.count - 1 {
                        try reader.follow(
                            pollInterval: pollInterval,
                            shouldStop: { shouldStop() || self.isDone },
                            idle: { self.output.flush() },
                            self.handle
                        )
                    } else if try reader.readAvailable(self.handle) {
                        _ = try reader.finish(self.handle)
                    }
                } catch let error as CombinedFormat {
                    self.output.flush()
                    throw Failure(description: error.description)
                } catch {
                    failures.append("\(error)")
                }
            }
            return failures
        }

        /// One line from a reader; `false` stops reading.
        private func handle(_ storage: [UInt8], _ range: Range<Int>) throws -> Bool {
            guard let line = AccessLogLineParser.parse(storage, range: range) else {
                if Self.isBlank(storage, range) {
                    return true
                }
                if !self.sawJSONInFile, AccessLogLineParser.looksLikeCombinedFormat(storage, range: range) {
                    throw CombinedFormat(path: self.currentPath)
                }
                self.malformedLines += 1
                return true
            }
            self.sawJSONInFile = true
            guard self.query.matches(line) else {
                return true
            }
            self.matchedLines += 1
            switch self.mode {
            case .json:
                line.withRawBytes { self.output.appendLine($0) }
            case .table:
                self.output.append(AccessLogQuery.Table.row(line) + "\n")
            case .summary:
                self.summary.add(line)
            }
            if self.output.isClosed || self.matchedLines == self.limit {
                self.isDone = true
                return false
            }
            return true
        }

        private static func isBlank(_ storage: [UInt8], _ range: Range<Int>) -> Bool {
            storage[range].allSatisfy {
                $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r")
            }
        }
    }
}
