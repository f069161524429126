import Foundation
import Testing

@testable import GatewayCore

@Suite("Access log query: filters and table")
struct AccessLogQueryFilterTests {
    typealias Fixture = AccessLogQueryFixture

    @Test func statusPatterns() throws {
        #expect(try AccessLogQuery.StatusPattern.parseList("5xx") == [.class(5)])
        #expect(try AccessLogQuery.StatusPattern.parseList("4xx, 5XX,403") == [.class(4), .class(5), .exact(403)])
        for bad in ["6xx", "abc", "", "4xx,", "99", "600", "5x", "１２３"] {
            #expect(throws: AccessLogQueryError.self, "\(bad)") {
                try AccessLogQuery.StatusPattern.parseList(bad)
            }
        }
        #expect(AccessLogQuery.StatusPattern.class(5).matches(503))
        #expect(!AccessLogQuery.StatusPattern.class(5).matches(499))
        #expect(AccessLogQuery.StatusPattern.exact(403).description == "403")
    }

    @Test func emptyQueryMatchesEverything() throws {
        let query = AccessLogQuery()
        #expect(query.isEmpty)
        #expect(query.matches(try Fixture.line(Fixture.record())))
        #expect(query.matches(try Fixture.line(Fixture.handshakeFailure())))
    }

    /// Each filter alone: the matching record passes, a record differing in that field does not.
    @Test func eachFilter() throws {
        let base = try Fixture.line(Fixture.record())
        let cases: [(AccessLogQuery, AccessLogRecord)] = [
            (AccessLogQuery(statuses: [.class(2)]), Fixture.record(status: 502)),
            (AccessLogQuery(statuses: [.exact(200), .exact(201)]), Fixture.record(status: 204)),
            (AccessLogQuery(routes: ["accounts"]), Fixture.record(route: "payments")),
            (AccessLogQuery(orgIDs: ["org1"]), Fixture.record(orgID: "org2")),
            (AccessLogQuery(softwareIDs: ["soft1"]), Fixture.record(softwareID: nil)),
            (AccessLogQuery(thumbprints: ["q3Jk-thumb"]), Fixture.record(thumbprint: "other")),
            (
                AccessLogQuery(subjectContains: "ou=ORG1"),
                Fixture.record(subject: "CN=soft1,OU=org2,O=OpenBanking,C=GB")
            ),
            (AccessLogQuery(requestIDs: ["req-1"]), Fixture.record(requestID: "req-2")),
            (AccessLogQuery(events: ["request"]), Fixture.record(route: nil)),
        ]
        for (query, other) in cases.dropLast() {
            #expect(query.matches(base), "\(query)")
            #expect(!query.matches(try Fixture.line(other)), "\(query)")
        }
        let (eventQuery, _) = try #require(cases.last)
        #expect(eventQuery.matches(base))
        #expect(!eventQuery.matches(try Fixture.line(Fixture.handshakeFailure())))
    }

    /// Filters on request fields never match connection-level lines; `--event` selects them.
    @Test func connectionEvents() throws {
        let failure = try Fixture.line(Fixture.handshakeFailure())
        #expect(!AccessLogQuery(statuses: [.class(5)]).matches(failure))
        #expect(!AccessLogQuery(subjectContains: "").matches(failure))
        #expect(AccessLogQuery(events: ["tls_handshake_failed"]).matches(failure))
        #expect(AccessLogQuery(events: ["request", "tls_handshake_failed"]).matches(failure))
        #expect(!AccessLogQuery(events: ["connection_rejected"]).matches(failure))
    }

    @Test func filtersCombineWithAnd() throws {
        let query = AccessLogQuery(statuses: [.class(5)], routes: ["accounts", "payments"], orgIDs: ["org1"])
        #expect(query.matches(try Fixture.line(Fixture.record(route: "payments", status: 503))))
        #expect(!query.matches(try Fixture.line(Fixture.record(route: "payments", status: 200))))
        #expect(!query.matches(try Fixture.line(Fixture.record(orgID: "org9", status: 503))))
    }

    /// Values escaped in the log match the decoded filter value.
    @Test func escapedValuesMatchDecoded() throws {
        let line = try Fixture.line(Fixture.record(subject: #"CN=Bänk "A"\,B,C=GB"#, orgID: "o\"rg"))
        #expect(AccessLogQuery(orgIDs: ["o\"rg"]).matches(line))
        #expect(AccessLogQuery(subjectContains: #"BÄNK "a""#.replacingOccurrences(of: "Ä", with: "ä")).matches(line))
        #expect(!AccessLogQuery(subjectContains: "missing").matches(line))
    }

    /// `--since` and `--until` are both inclusive.
    @Test func timeWindow() throws {
        let at = Fixture.timeMilliseconds
        let line = try Fixture.line(Fixture.record())
        #expect(AccessLogQuery(sinceMilliseconds: at, untilMilliseconds: at).matches(line))
        #expect(!AccessLogQuery(sinceMilliseconds: at + 1).matches(line))
        #expect(!AccessLogQuery(untilMilliseconds: at - 1).matches(line))
    }

    @Test func timeBounds() throws {
        let now = Date(timeIntervalSince1970: 1_796_035_088.123)
        let at = Fixture.timeMilliseconds
        #expect(try AccessLogQuery.timeBound("15m", now: now, option: "--since") == at - 15 * 60_000)
        #expect(try AccessLogQuery.timeBound("1h30m", now: now, option: "--since") == at - 90 * 60_000)
        #expect(try AccessLogQuery.timeBound("250ms", now: now, option: "--since") == at - 250)
        #expect(try AccessLogQuery.timeBound("7d", now: now, option: "--since") == at - 7 * 86_400_000)
        #expect(try AccessLogQuery.timeBound("2026-11-30T10:38:08.123Z", now: now, option: "--since") == at)
        #expect(try AccessLogQuery.timeBound("2026-11-30", now: now, option: "--until") == 1_795_996_800_000)
        #expect(throws: AccessLogQueryError.self) {
            try AccessLogQuery.timeBound("yesterday", now: now, option: "--since")
        }
        do {
            _ = try AccessLogQuery.timeBound("15", now: now, option: "--until")
            Issue.record("a bare number is ambiguous and must be refused")
        } catch {
            #expect("\(error)".hasPrefix("--until \"15\""))
        }
    }

    @Test func tableRowsAlignWithTheHeader() throws {
        let header = AccessLogQuery.Table.header
        let rows = [
            AccessLogQuery.Table.row(try Fixture.line(Fixture.record())),
            AccessLogQuery.Table.row(
                try Fixture.line(
                    Fixture.record(route: String(repeating: "r", count: 40), status: 502, error: "upstream_timeout"))),
            AccessLogQuery.Table.row(try Fixture.line(Fixture.handshakeFailure())),
        ]
        let detailColumn = try #require(header.range(of: "DETAIL")).lowerBound
        let offset = header.distance(from: header.startIndex, to: detailColumn)
        for row in rows {
            let prefix = row.prefix(offset)
            #expect(prefix.count == offset && prefix.hasSuffix("  "), "\(row)")
        }
        #expect(rows[0].hasPrefix("2026-11-30T10:38:08.123Z     200       12.345  GET      accounts"))
        #expect(rows[0].hasSuffix("/open-banking/v3.1/aisp/accounts"))
        #expect(rows[1].contains(String(repeating: "r", count: 19) + "…"))
        #expect(rows[1].contains("upstream_timeout"))
        #expect(rows[2].contains("certificate_expired"))
        #expect(rows[2].hasSuffix("tls_handshake_failed [2001:db8::1]:443 sni=api.bank.example listener=mtls"))
    }

    /// A client-chosen path cannot send escape sequences to the operator's terminal.
    @Test func tableNeutralisesControlCharacters() throws {
        let row = AccessLogQuery.Table.row(try Fixture.line(Fixture.record(path: "/a\u{1B}]0;pwned\u{07}\u{9B}b\nc")))
        #expect(!row.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(row.hasSuffix(#"/a\x1b]0;pwned\x07\x9bb\x0ac"#))
    }
}
