import ArgumentParser
import Foundation
import Gateway
import GatewayCore

/// `mtls-gateway logs [FILE…]`: filter, follow and summarise JSON access logs, so operators do
/// not need a jq recipe.
///
/// Exit status 0 when the logs were read (whether or not anything matched); 1 for an unusable
/// argument, an unreadable file, or a log in the `combined` format. Malformed lines never stop
/// the command: they are counted, skipped and reported on standard error at the end.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Filter, follow and summarise the JSON access log.",
        discussion: """
            Reads the FILEs in order (plain or gzip-compressed; - is standard input). Without FILEs, \
            reads the access_log of --config together with its rotated siblings (access.log.2.gz, \
            access.log.1, access.log: oldest first), or standard input when it is not a terminal.
            Filters combine with AND; repeated filters of one kind combine with OR.
            Examples:
              mtls-gateway logs --config gateway.conf --status 5xx --since 15m
              mtls-gateway logs access.log --org-id 0015800001041RHAAY --summary
              mtls-gateway logs --config gateway.conf --event tls_handshake_failed --follow
            """
    )

    @Argument(help: "Access-log files (plain or .gz); - reads standard input.")
    var files: [String] = []

    @Option(name: .shortAndLong, help: "Read the access_log of this gateway.conf (and its rotated files).")
    var config: String?

    @Option(help: "Status codes or classes, comma-separated: 5xx, 403, 4xx,5xx.")
    var status: [String] = []

    @Option(help: "Route name (exact).")
    var route: [String] = []

    @Option(name: .customLong("org-id"), help: "Open Banking organisation id of the client certificate.")
    var orgID: [String] = []

    @Option(name: .customLong("software-id"), help: "Open Banking software id of the client certificate.")
    var softwareID: [String] = []

    @Option(help: "RFC 8705 x5t#S256 thumbprint of the client certificate.")
    var thumbprint: [String] = []

    @Option(help: "Substring of the client certificate's subject DN (case-insensitive).")
    var subject: String?

    @Option(help: "Only lines at or after: a duration back from now (15m, 2h, 7d) or an RFC 3339 time.")
    var since: String?

    @Option(help: "Only lines at or before: a duration back from now or an RFC 3339 time.")
    var until: String?

    @Option(help: "Event: request, tls_handshake_failed, connection_rejected, ...")
    var event: [String] = []

    @Option(name: .customLong("request-id"), help: "Request id (exact).")
    var requestID: [String] = []

    @Flag(help: "Print matching lines as JSON lines, as logged (the default when output is not a terminal).")
    var json = false

    @Flag(help: "Print matching lines as an aligned table (the default on a terminal).")
    var table = false

    @Flag(help: "Keep reading the last file as it grows and across rotation, until Ctrl-C (with --config: the current file only).")
    var follow = false

    @Flag(
        help:
            "Print requests, error rates and p50/p95/p99 per route and upstream, top clients and handshake failures instead of lines (as JSON with --json)."
    )
    var summary = false

    @Option(help: "Stop after this many matching lines.")
    var limit: Int?

    @Option(help: ArgumentHelp("How often --follow checks for new lines.", visibility: .hidden))
    var pollInterval: String = "250ms"

    /// A problem reported as one sentence (`Error: …`) with exit status 1.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run() throws {
        let query = try self.makeQuery(now: Date())
        let mode = try self.outputMode()
        guard self.limit.map({ $0 > 0 }) ?? true else {
            throw Failure(description: "--limit must be at least 1")
        }
        guard let pollInterval = DurationParser.parse(self.pollInterval), pollInterval > .zero else {
            throw Failure(description: "--poll-interval must be a duration such as 250ms")
        }
        let files = try self.resolveFiles()
        for file in files {
            do {
                try AccessLogReader.checkReadable(file)
            } catch {
                throw Failure(description: error.description)
            }
        }
        // A closed pipe (`| head`) is an EPIPE write error that ends the scan, not a signal.
        signal(SIGPIPE, SIG_IGN)
        let stop = self.follow ? StopSignal() : nil
        let output = Output()
        let scan = Scan(query: query, mode: mode, output: output, limit: self.limit)
        let failures = try scan.run(files: files, follow: self.follow, pollInterval: pollInterval) {
            stop?.isRequested ?? false
        }
        stop?.cancel()
        if case .summary(let json) = mode {
            output.append(json ? scan.summary.renderJSON() + "\n" : scan.summary.renderText())
        }
        output.flush()
        if scan.malformedLines > 0 {
            let noun = scan.malformedLines == 1 ? "line" : "lines"
            Self.printError("\(scan.malformedLines) malformed \(noun) skipped")
        }
        for failure in failures {
            Self.printError("error: \(failure)")
        }
        if !failures.isEmpty {
            throw ExitCode(1)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    private func makeQuery(now: Date) throws -> AccessLogQuery {
        do {
            let statuses = try self.status.flatMap { text throws(AccessLogQueryError) in
                try AccessLogQuery.StatusPattern.parseList(text)
            }
            let since = try self.since.map { text throws(AccessLogQueryError) in
                try AccessLogQuery.timeBound(text, now: now, option: "--since")
            }
            let until = try self.until.map { text throws(AccessLogQueryError) in
                try AccessLogQuery.timeBound(text, now: now, option: "--until")
            }
            if let since, let until, since > until {
                throw AccessLogQueryError("--since is later than --until, so nothing could match")
            }
            return AccessLogQuery(
                statuses: statuses,
                routes: self.route,
                orgIDs: self.orgID,
                softwareIDs: self.softwareID,
                thumbprints: self.thumbprint,
                subjectContains: self.subject,
                sinceMilliseconds: since,
                untilMilliseconds: until,
                events: self.event,
                requestIDs: self.requestID
            )
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    private func outputMode() throws -> Scan.Mode {
        guard !(self.json && self.table) else {
            throw Failure(description: "--json and --table cannot be combined")
        }
        if self.summary {
            guard !self.table else {
                throw Failure(description: "--summary prints its own tables; use --json for a JSON summary")
            }
            return .summary(json: self.json)
        }
        if self.json {
            return .json
        }
        return self.table || isatty(STDOUT_FILENO) == 1 ? .table : .json
    }
}
