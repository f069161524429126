import Foundation

/// The filters of `mtls-gateway logs`: which access-log lines an operator asked to see.
///
/// Every filter is optional and they combine with AND; the values of one repeatable filter
/// (several `--route`s, a `--status 4xx,5xx` list) combine with OR. Filters on request fields
/// (status, route, identity, request id) never match connection-level lines such as failed
/// handshakes, which have no such fields.
///
/// Matching works on the parsed line's bytes (``AccessLogLineParser/Line``): no string is built
/// for a line that is rejected, which keeps filtering a large log cheap.
public struct AccessLogQuery: Sendable {
    /// `--status`: status codes or classes; empty matches every line.
    public var statuses: [StatusPattern]
    /// `--route`: exact route names.
    public var routes: [String]
    /// `--org-id`: exact Open Banking organisation ids.
    public var orgIDs: [String]
    /// `--software-id`: exact Open Banking software ids.
    public var softwareIDs: [String]
    /// `--thumbprint`: exact RFC 8705 `x5t#S256` thumbprints of the client certificate.
    public var thumbprints: [String]
    /// `--subject`: a substring of the client subject DN, compared without regard to ASCII case
    /// (DN attribute values match case-insensitively, RFC 4517 §4.2.15).
    public var subjectContains: String?
    /// `--since`: lines at or after this instant (milliseconds since 1970).
    public var sinceMilliseconds: Int64?
    /// `--until`: lines at or before this instant (milliseconds since 1970).
    public var untilMilliseconds: Int64?
    /// `--event`: event codes (`request`, `tls_handshake_failed`, …).
    public var events: [String]
    /// `--request-id`: exact request ids.
    public var requestIDs: [String]

    /// The filter values as UTF-8, prepared once instead of per line.
    private var prepared: Prepared

    private struct Prepared: Sendable {
        var routes: [[UInt8]] = []
        var orgIDs: [[UInt8]] = []
        var softwareIDs: [[UInt8]] = []
        var thumbprints: [[UInt8]] = []
        var subject: [UInt8]?
        var events: [[UInt8]] = []
        var requestIDs: [[UInt8]] = []
        var needsRequestFields = false
    }

    /// Creates a query; with no arguments it matches every line.
    public init(
        statuses: [StatusPattern] = [],
        routes: [String] = [],
        orgIDs: [String] = [],
        softwareIDs: [String] = [],
        thumbprints: [String] = [],
        subjectContains: String? = nil,
        sinceMilliseconds: Int64? = nil,
        untilMilliseconds: Int64? = nil,
        events: [String] = [],
        requestIDs: [String] = []
    ) {
        self.statuses = statuses
        self.routes = routes
        self.orgIDs = orgIDs
        self.softwareIDs = softwareIDs
        self.thumbprints = thumbprints
        self.subjectContains = subjectContains
        self.sinceMilliseconds = sinceMilliseconds
        self.untilMilliseconds = untilMilliseconds
        self.events = events
        self.requestIDs = requestIDs
        let utf8 = { (values: [String]) in values.map { Array($0.utf8) } }
        self.prepared = Prepared(
            routes: utf8(routes),
            orgIDs: utf8(orgIDs),
            softwareIDs: utf8(softwareIDs),
            thumbprints: utf8(thumbprints),
            subject: subjectContains.map { Array($0.lowercased().utf8) },
            events: utf8(events),
            requestIDs: utf8(requestIDs)
        )
        self.prepared.needsRequestFields =
            !statuses.isEmpty || !routes.isEmpty || !orgIDs.isEmpty || !softwareIDs.isEmpty
            || !thumbprints.isEmpty || subjectContains != nil || !requestIDs.isEmpty
    }

    /// Whether the query matches every line (no filter set).
    public var isEmpty: Bool {
        !self.prepared.needsRequestFields && self.sinceMilliseconds == nil && self.untilMilliseconds == nil
            && self.events.isEmpty
    }

    /// Whether `line` passes every filter.
    public func matches(_ line: AccessLogLineParser.Line) -> Bool {
        if let since = self.sinceMilliseconds, line.timeMilliseconds < since {
            return false
        }
        if let until = self.untilMilliseconds, line.timeMilliseconds > until {
            return false
        }
        if !self.prepared.events.isEmpty,
            !self.prepared.events.contains(where: { line.value(of: .event, equals: $0) })
        {
            return false
        }
        guard self.prepared.needsRequestFields else {
            return true
        }
        guard line.kind == .request else {
            return false
        }
        if !self.statuses.isEmpty {
            guard let status = line.integer(.status), self.statuses.contains(where: { $0.matches(status) }) else {
                return false
            }
        }
        return Self.matchesAny(line, .route, self.prepared.routes)
            && Self.matchesAny(line, .orgID, self.prepared.orgIDs)
            && Self.matchesAny(line, .softwareID, self.prepared.softwareIDs)
            && Self.matchesAny(line, .clientThumbprintS256, self.prepared.thumbprints)
            && Self.matchesAny(line, .requestID, self.prepared.requestIDs)
            && (self.prepared.subject.map { line.value(of: .clientSubject, containsLowercased: $0) } ?? true)
    }

    /// `true` when `values` is empty (no filter) or the field equals one of them.
    private static func matchesAny(
        _ line: AccessLogLineParser.Line, _ field: AccessLogLineParser.Field, _ values: [[UInt8]]
    ) -> Bool {
        values.isEmpty || values.contains { line.value(of: field, equals: $0) }
    }
}
