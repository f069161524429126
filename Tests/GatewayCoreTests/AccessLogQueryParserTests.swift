import Foundation
import Testing

@testable import GatewayCore

/// Events and lines shared by the `mtls-gateway logs` core tests.
enum AccessLogQueryFixture {
    /// 2026-11-30T10:38:08.123Z.
    static let time = Date(timeIntervalSince1970: 1_796_035_088.123)
    static let timeMilliseconds: Int64 = 1_796_035_088_123

    static func record(
        offsetMilliseconds: Int64 = 0,
        requestID: String = "req-1",
        subject: String? = "CN=soft1,OU=org1,O=OpenBanking,C=GB",
        thumbprint: String? = "q3Jk-thumb",
        orgID: String? = "org1",
        softwareID: String? = "soft1",
        path: String = "/open-banking/v3.1/aisp/accounts",
        route: String? = "accounts",
        upstream: String? = "aisp",
        status: Int = 200,
        durationMS: Double = 12.345,
        upstreamMS: Double? = 10.5,
        error: String? = nil
    ) -> AccessLogRecord {
        AccessLogRecord(
            time: Self.time.addingTimeInterval(Double(offsetMilliseconds) / 1000),
            requestID: requestID,
            downstreamAddress: "203.0.113.9:51234",
            sni: "api.bank.example",
            tlsVersion: "TLSv1.3",
            tlsResumed: true,
            clientVerify: subject == nil ? "NONE" : "SUCCESS",
            identity: AccessLogIdentityFields(
                subject: subject,
                issuer: subject == nil ? nil : "CN=OpenBanking Pre-Production Issuing CA,O=OpenBanking,C=GB",
                serial: subject == nil ? nil : "0A1B",
                thumbprintS256: thumbprint,
                orgID: orgID,
                softwareID: softwareID
            ),
            method: "GET",
            host: "api.bank.example",
            path: path,
            protocol: "HTTP/1.1",
            route: route,
            upstream: upstream,
            upstreamAddress: upstream == nil ? nil : "10.0.0.5:8080",
            status: status,
            bytesReceived: 17,
            bytesSent: 512,
            durationMS: durationMS,
            upstreamMS: upstreamMS,
            error: error
        )
    }

    static func handshakeFailure(offsetMilliseconds: Int64 = 0, reason: String = "certificate_expired")
        -> AccessLogEvent
    {
        .handshakeFailed(
            HandshakeFailureRecord(
                time: Self.time.addingTimeInterval(Double(offsetMilliseconds) / 1000),
                downstreamAddress: "[2001:db8::1]:443",
                sni: "api.bank.example",
                reason: reason,
                listener: "mtls"
            )
        )
    }

    static func line(_ event: AccessLogEvent) throws -> AccessLogLineParser.Line {
        try #require(AccessLogLineParser.parse(event.line(format: .json)))
    }

    static func line(_ record: AccessLogRecord) throws -> AccessLogLineParser.Line {
        try Self.line(.request(record))
    }
}

@Suite("Access log query: parsing lines")
struct AccessLogQueryParserTests {
    typealias Fixture = AccessLogQueryFixture

    /// What the writer renders, the parser reads back to the same event: every field, absent
    /// values, escapes (quotes, backslashes, control characters, non-ASCII).
    @Test(arguments: [
        Fixture.record(),
        Fixture.record(
            subject: nil, thumbprint: nil, orgID: nil, softwareID: nil, route: nil, upstream: nil, status: 404,
            upstreamMS: nil, error: "no_route"),
        Fixture.record(
            subject: #"CN=a\,b "q",O=Bänk \\ ✓,C=GB"#, path: "/p\u{1B}[31m\n\t\"x\"\u{7F}€😀", status: 502,
            error: "upstream_connect_failed"),
        Fixture.record(durationMS: 0, upstreamMS: 123_456.789),
    ])
    func requestRoundTrip(record: AccessLogRecord) throws {
        let event = AccessLogEvent.request(record)
        let line = try Fixture.line(event)
        #expect(line.kind == .request)
        #expect(line.timeMilliseconds == Fixture.timeMilliseconds)
        #expect(line.event() == event)
        #expect(line.text == event.line(format: .json))
    }

    @Test func connectionEventsRoundTrip() throws {
        let failure = Fixture.handshakeFailure()
        let failureLine = try Fixture.line(failure)
        #expect(failureLine.kind == .handshakeFailed)
        #expect(failureLine.event() == failure)
        #expect(failureLine.string(.reason) == "certificate_expired")

        let rejected = AccessLogEvent.connection(
            ConnectionEventRecord(
                time: Fixture.time, event: "connection_rejected", downstreamAddress: "192.0.2.1:1",
                reason: "max_connections")
        )
        let rejectedLine = try Fixture.line(rejected)
        #expect(rejectedLine.kind == .connection)
        #expect(rejectedLine.eventName == "connection_rejected")
        #expect(rejectedLine.event() == rejected)
    }

    @Test func typedAccessors() throws {
        let line = try Fixture.line(Fixture.record(status: 503, durationMS: 1.5, upstreamMS: nil))
        #expect(line.integer(.status) == 503)
        #expect(line.string(.status) == "503")
        #expect(line.number(.durationMS) == 1.5)
        #expect(line.microseconds(.durationMS) == 1500)
        #expect(line.number(.upstreamMS) == nil)
        #expect(line.has(.upstreamMS) == false)
        #expect(line.has(.route))
        #expect(line.bool(.tlsResumed) == true)
        #expect(line.string(.error) == nil)
        #expect(line.integer(.durationMS) == nil)
    }

    /// Liberal in what it reads: any member order, whitespace, unknown members (even nested),
    /// escaped keys, exponents, numeric zone offsets.
    @Test func acceptsValidJSONVariants() throws {
        let text = """
             { "status" : 1e2 , "event":"req\\u0075est", "extra": {"a": [1, {"b": null}], "c": "}"},
            "ti\\u006de": "2026-11-30t11:38:08.1234+01:00", "duration_ms": 2.5E1, "path": "\\/a" }\t
            """
        let line = try #require(AccessLogLineParser.parse(text))
        #expect(line.kind == .request)
        #expect(line.timeMilliseconds == Fixture.timeMilliseconds)
        #expect(line.number(.status) == 100)
        #expect(line.integer(.status) == nil, "an exponent is not an integer")
        #expect(line.number(.durationMS) == 25)
        #expect(line.string(.path) == "/a")
        #expect(line.event() == nil, "required request members are missing")
    }

    /// Anything that is not exactly one JSON object with a valid `time` and `event` is
    /// malformed: counted by the caller, never fatal.
    @Test(arguments: [
        "",
        "not json",
        "[1,2]",
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request""#,
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request"} {}"#,
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request",}"#,
        #"{"time":"2026-11-30T10:38:08.123Z"}"#,
        #"{"event":"request"}"#,
        #"{"time":"yesterday","event":"request"}"#,
        #"{"time":"2026-02-30T10:38:08Z","event":"request"}"#,
        #"{"time":1796035088,"event":"request"}"#,
        #"{"time":"2026-11-30T10:38:08.123Z","event":""}"#,
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request","path":"a\qb"}"#,
        "{\"time\":\"2026-11-30T10:38:08.123Z\",\"event\":\"request\",\"path\":\"raw\ttab\"}",
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request","status":01}"#,
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request","status":-}"#,
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request","ok":tru}"#,
        #"{"time":"2026-11-30T10:38:08.123Z","event":"request","u":"\u12"}"#,
    ])
    func malformedLines(text: String) {
        #expect(AccessLogLineParser.parse(text) == nil)
    }

    @Test func nestingDepthIsBounded() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(
            AccessLogLineParser.parse(#"{"time":"2026-11-30T10:38:08.123Z","event":"request","x":\#(deep)}"#) == nil)
        let shallow = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(
            AccessLogLineParser.parse(#"{"time":"2026-11-30T10:38:08.123Z","event":"request","x":\#(shallow)}"#) != nil)
    }

    @Test func surrogatePairsAndLoneSurrogates() throws {
        let line = try #require(
            AccessLogLineParser.parse(
                #"{"time":"2026-11-30T10:38:08Z","event":"request","path":"\ud83d\ude00 \ud800 \u00e9"}"#)
        )
        #expect(line.string(.path) == "😀 \u{FFFD} é")
    }

    @Test(arguments: [
        ("2026-11-30T10:38:08.123Z", Int64(1_796_035_088_123)),
        ("2026-11-30T10:38:08Z", 1_796_035_088_000),
        ("2026-11-30 10:38:08.1z", 1_796_035_088_100),
        ("2026-11-30T10:38:08.123999999Z", 1_796_035_088_123),
        ("2026-11-30T12:38:08.123+02:00", 1_796_035_088_123),
        ("2026-11-30T05:08:08.123-05:30", 1_796_035_088_123),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2016-12-31T23:59:60Z", 1_483_228_799_999),
    ])
    func rfc3339(text: String, expected: Int64) {
        #expect(AccessLogLineParser.epochMilliseconds(rfc3339: text) == expected)
    }

    @Test(arguments: [
        "2026-11-30", "2026-11-30T10:38Z", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-30T24:00:00Z",
        "2026-11-30T10:38:08.Z", "2026-11-30T10:38:08+0100", "2026-11-30T10:38:08Zjunk", "2026-11-30T10:38:08",
    ])
    func invalidRFC3339(text: String) {
        #expect(AccessLogLineParser.epochMilliseconds(rfc3339: text) == nil)
    }

    @Test func rendersTimesLikeTheWriter() {
        #expect(AccessLogLineParser.rfc3339(epochMilliseconds: Fixture.timeMilliseconds) == "2026-11-30T10:38:08.123Z")
        #expect(AccessLogLineParser.rfc3339(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    /// The `combined` format is recognised (to refuse it in one sentence); JSON lines are not.
    @Test func recognisesTheCombinedFormat() {
        let events: [AccessLogEvent] = [.request(Fixture.record()), Fixture.handshakeFailure()]
        for event in events {
            let combined = Array(event.line(format: .combined).utf8)
            #expect(AccessLogLineParser.looksLikeCombinedFormat(combined, range: 0..<combined.count))
            let json = Array(event.line(format: .json).utf8)
            #expect(!AccessLogLineParser.looksLikeCombinedFormat(json, range: 0..<json.count))
        }
        let garbage = Array("hello - - [world".utf8)
        #expect(!AccessLogLineParser.looksLikeCombinedFormat(garbage, range: 0..<garbage.count))
    }

    /// A line parsed from the middle of a shared buffer reads only its own bytes.
    @Test func parsesARangeOfASharedBuffer() throws {
        let first = AccessLogEvent.request(Fixture.record(requestID: "one")).line(format: .json)
        let second = AccessLogEvent.request(Fixture.record(requestID: "two")).line(format: .json)
        let buffer = Array((first + "\n" + second + "\n").utf8)
        let start = first.utf8.count + 1
        let line = try #require(AccessLogLineParser.parse(buffer, range: start..<(start + second.utf8.count)))
        #expect(line.string(.requestID) == "two")
        #expect(line.text == second)
    }

    @Test func fieldKeys() {
        #expect(AccessLogLineParser.Field.allCases.count <= AccessLogLineParser.FieldSpans.capacity)
        #expect(AccessLogLineParser.Field.clientThumbprintS256.key == "client_thumbprint_s256")
        #expect(AccessLogLineParser.Field(key: "org_id") == .orgID)
        #expect(AccessLogLineParser.Field(key: "referer") == nil)
        let requestKeys = AccessLogJSONTests.requestKeys
        #expect(Array(AccessLogLineParser.Field.allCases.prefix(requestKeys.count).map(\.key)) == requestKeys)
    }
}
