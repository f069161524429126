/// What `mtls-gateway logs --summary` reports: requests and error rates per route and upstream,
/// duration percentiles, the busiest clients by Open Banking identity, and why TLS handshakes
/// failed.
///
/// Built by feeding it the lines that passed the query (``add(_:)``), in one pass and bounded
/// memory: counters per distinct route, upstream, client and reason, and a
/// ``Histogram`` instead of every duration.
public struct AccessLogSummary: Sendable {
    /// Counters for one route, upstream or client.
    public struct Group: Sendable, Hashable {
        /// Requests seen.
        public var requests = 0
        /// Responses with a 4xx status.
        public var clientErrors = 0
        /// Responses with a 5xx status.
        public var serverErrors = 0
        /// Durations: `duration_ms` for routes and clients, `upstream_ms` for upstreams.
        public var durations = Histogram()

        /// Creates empty counters.
        public init() {}

        mutating func add(status: Int?, microseconds: Int64?) {
            self.requests += 1
            if let status {
                self.clientErrors += status / 100 == 4 ? 1 : 0
                self.serverErrors += status / 100 == 5 ? 1 : 0
            }
            if let microseconds {
                self.durations.record(microseconds: microseconds)
            }
        }
    }

    /// An Open Banking client as the certificate identified it.
    public struct Client: Sendable, Hashable {
        /// `org_id`; `nil` when the certificate had none.
        public var orgID: String?
        /// `software_id`; `nil` when the certificate had none.
        public var softwareID: String?

        /// Creates a key.
        public init(orgID: String?, softwareID: String?) {
            self.orgID = orgID
            self.softwareID = softwareID
        }
    }

    /// How many clients ``topClients`` lists.
    public var topClientCount: Int
    /// Lines added, of every kind.
    public private(set) var lines = 0
    /// Request lines added.
    public private(set) var requests = 0
    /// Requests per status class: index 1 is 1xx … index 5 is 5xx; index 0 counts anything else.
    public private(set) var statusClasses = [Int](repeating: 0, count: 6)
    /// `duration_ms` of every request.
    public private(set) var durations = Histogram()
    /// Per `route` (`-` when no route matched).
    public private(set) var routes: [String: Group] = [:]
    /// Per `upstream` (only requests that were sent to one).
    public private(set) var upstreams: [String: Group] = [:]
    /// Per client identity (only requests with an `org_id` or `software_id`).
    public private(set) var clients: [Client: Group] = [:]
    /// Requests without a client identity (no certificate, or no Open Banking fields).
    public private(set) var anonymousRequests = 0
    /// Requests per `error` code.
    public private(set) var errors: [String: Int] = [:]
    /// Failed TLS handshakes per `reason`.
    public private(set) var handshakeFailures: [String: Int] = [:]
    /// Other connection-level events per `event` and `reason` (`connection_rejected max_connections`).
    public private(set) var connectionEvents: [String: Int] = [:]
    /// The earliest and latest `time` seen, in milliseconds since 1970.
    public private(set) var firstTime: Int64?
    /// The latest `time` seen.
    public private(set) var lastTime: Int64?

    /// An empty summary.
    public init(topClientCount: Int = 10) {
        self.topClientCount = topClientCount
    }

    /// Counts one line.
    public mutating func add(_ line: AccessLogLineParser.Line) {
        self.lines += 1
        let time = line.timeMilliseconds
        self.firstTime = min(self.firstTime ?? time, time)
        self.lastTime = max(self.lastTime ?? time, time)
        switch line.kind {
        case .request:
            self.addRequest(line)
        case .handshakeFailed:
            self.handshakeFailures[line.string(.reason) ?? "-", default: 0] += 1
        case .connection:
            self.connectionEvents["\(line.eventName) \(line.string(.reason) ?? "-")", default: 0] += 1
        }
    }

    private mutating func addRequest(_ line: AccessLogLineParser.Line) {
        self.requests += 1
        let status = line.integer(.status)
        let statusClass = status.map { $0 / 100 } ?? 0
        self.statusClasses[(1...5).contains(statusClass) ? statusClass : 0] += 1
        let duration = line.microseconds(.durationMS) ?? line.number(.durationMS).map { Int64($0 * 1000) }
        if let duration {
            self.durations.record(microseconds: duration)
        }
        self.routes[line.string(.route) ?? "-", default: Group()].add(status: status, microseconds: duration)
        if let upstream = line.string(.upstream) {
            let upstreamDuration =
                line.microseconds(.upstreamMS) ?? line.number(.upstreamMS).map { Int64($0 * 1000) }
            self.upstreams[upstream, default: Group()].add(status: status, microseconds: upstreamDuration)
        }
        let client = Client(orgID: line.string(.orgID), softwareID: line.string(.softwareID))
        if client.orgID == nil, client.softwareID == nil {
            self.anonymousRequests += 1
        } else {
            self.clients[client, default: Group()].add(status: status, microseconds: duration)
        }
        if let error = line.string(.error) {
            self.errors[error, default: 0] += 1
        }
    }

    /// The ``topClientCount`` clients with most requests (ties by org id, then software id).
    public var topClients: [(client: Client, group: Group)] {
        let sorted = self.clients.sorted { left, right in
            if left.value.requests != right.value.requests {
                return left.value.requests > right.value.requests
            }
            let leftKey = (left.key.orgID ?? "", left.key.softwareID ?? "")
            let rightKey = (right.key.orgID ?? "", right.key.softwareID ?? "")
            return leftKey < rightKey
        }
        return sorted.prefix(self.topClientCount).map { ($0.key, $0.value) }
    }

    /// Groups ordered by requests (most first), then by name.
    static func ordered(_ groups: [String: Group]) -> [(name: String, group: Group)] {
        groups.sorted { left, right in
            left.value.requests != right.value.requests
                ? left.value.requests > right.value.requests : left.key < right.key
        }
        .map { ($0.key, $0.value) }
    }

    /// Counts ordered by count (most first), then by name.
    static func ordered(_ counts: [String: Int]) -> [(name: String, count: Int)] {
        counts.sorted { left, right in
            left.value != right.value ? left.value > right.value : left.key < right.key
        }
        .map { ($0.key, $0.value) }
    }
}
