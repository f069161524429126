import Foundation
import Testing

@testable import GatewayCore

@Suite("Access log: JSON lines")
struct AccessLogJSONTests {
    /// 2026-11-30T10:38:08.123Z.
    static let time = Date(timeIntervalSince1970: 1_796_035_088.123_4)

    static func record() -> AccessLogRecord {
        AccessLogRecord(
            time: Self.time,
            requestID: "req-1",
            downstreamAddress: "203.0.113.9:51234",
            sni: "api.bank.example",
            tlsVersion: "TLSv1.3",
            tlsResumed: false,
            clientVerify: "SUCCESS",
            identity: AccessLogIdentityFields(
                subject: "CN=soft1,OU=org1,O=OpenBanking,C=GB",
                issuer: "CN=OpenBanking Pre-Production Issuing CA,O=OpenBanking,C=GB",
                serial: "0a1b",
                thumbprintS256: "q3Jk",
                orgID: "org1",
                softwareID: "soft1"
            ),
            method: "GET",
            host: "api.bank.example",
            path: "/open-banking/v3.1/aisp/accounts?code=secret",
            protocol: "HTTP/1.1",
            route: "accounts",
            upstream: "aisp",
            upstreamAddress: "10.0.0.5:8080",
            status: 200,
            bytesReceived: 0,
            bytesSent: 512,
            durationMS: 12.3456,
            upstreamMS: nil,
            error: nil
        )
    }

    static let requestKeys = [
        "time", "event", "request_id", "downstream_address", "sni", "tls_version", "tls_resumed",
        "client_verify", "client_subject", "client_issuer", "client_serial", "client_thumbprint_s256",
        "org_id", "software_id", "method", "host", "path", "protocol", "route", "upstream",
        "upstream_address", "status", "bytes_received", "bytes_sent", "duration_ms", "upstream_ms", "error",
    ]

    static func parse(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    /// The keys in the order they appear in the raw line (flat objects only).
    static func keyOrder(_ line: String, candidates: [String]) -> [String] {
        candidates
            .compactMap { key -> (String, String.Index)? in
                guard let range = line.range(of: "\"\(key)\":") else { return nil }
                return (key, range.lowerBound)
            }
            .sorted { $0.1 < $1.1 }
            .map(\.0)
    }

    @Test func requestLineHasExactlyTheContractKeysInOrder() throws {
        let line = AccessLogEvent.request(Self.record()).jsonLine()
        #expect(!line.contains("\n"))
        let object = try Self.parse(line)
        #expect(Set(object.keys) == Set(Self.requestKeys))
        #expect(object.count == Self.requestKeys.count)
        #expect(Self.keyOrder(line, candidates: Self.requestKeys) == Self.requestKeys)
        #expect(line.hasPrefix(#"{"time":"2026-11-30T10:38:08.123Z","event":"request","request_id":"req-1","#))
    }

    @Test func valuesAndNulls() throws {
        let line = AccessLogEvent.request(Self.record()).jsonLine()
        let object = try Self.parse(line)
        #expect(object["status"] as? Int == 200)
        #expect(object["tls_resumed"] as? Bool == false)
        #expect(object["upstream_ms"] is NSNull)
        #expect(object["error"] is NSNull)
        #expect(line.contains(#""duration_ms":12.346,"#))
        #expect(line.contains(#""upstream_ms":null,"#))
        #expect(line.hasSuffix(#""error":null}"#))
    }

    @Test func pathIsWrittenWithoutTheQueryString() throws {
        var record = Self.record()
        #expect(record.path == "/open-banking/v3.1/aisp/accounts")
        record.path = "/x?token=abc"  // set after init: the renderer strips too
        let object = try Self.parse(AccessLogEvent.request(record).jsonLine())
        #expect(object["path"] as? String == "/x")
    }

    @Test func escapingOfQuotesBackslashesControlCharactersAndUnicode() throws {
        var record = Self.record()
        let hostile = "a\"b\\c\nd\re\tf\u{01}g\u{1F}h"
        record.host = hostile
        record.identity = AccessLogIdentityFields(subject: "CN=Zoë Ünïcødé 銀行 🏦,O=Bank")
        let line = AccessLogEvent.request(record).jsonLine()
        #expect(line.contains(#""host":"a\"b\\c\nd\re\tf\u0001g\u001fh""#))
        #expect(line.contains("CN=Zoë Ünïcødé 銀行 🏦,O=Bank"))  // UTF-8 kept, not \u-escaped
        #expect(!line.contains("\n"))
        let object = try Self.parse(line)
        #expect(object["host"] as? String == hostile)
        #expect(object["client_subject"] as? String == "CN=Zoë Ünïcødé 銀行 🏦,O=Bank")
    }

    @Test func refererAndUserAgentAreForCombinedOnly() throws {
        var record = Self.record()
        record.referer = "https://tpp.example/"
        record.userAgent = "curl/8.5"
        let line = AccessLogEvent.request(record).jsonLine()
        #expect(!line.contains("curl") && !line.contains("tpp.example"))
        #expect(try Self.parse(line).count == Self.requestKeys.count)
    }

    @Test func durationsHaveThreeDecimals() {
        var record = Self.record()
        record.durationMS = 5
        record.upstreamMS = 0.0004
        var line = AccessLogEvent.request(record).jsonLine()
        #expect(line.contains(#""duration_ms":5.000,"upstream_ms":0.000,"#))
        record.durationMS = 1234.5675
        record.upstreamMS = .nan
        line = AccessLogEvent.request(record).jsonLine()
        #expect(line.contains(#""duration_ms":1234.568,"upstream_ms":null,"#))
    }

    @Test func handshakeFailureLine() throws {
        let event = AccessLogEvent.handshakeFailed(
            HandshakeFailureRecord(
                time: Self.time,
                downstreamAddress: "[2001:db8::1]:443",
                sni: nil,
                reason: "certificate_expired",
                listener: "public"
            )
        )
        let line = event.jsonLine()
        #expect(
            line == #"{"time":"2026-11-30T10:38:08.123Z","event":"tls_handshake_failed","#
                + #""downstream_address":"[2001:db8::1]:443","sni":null,"reason":"certificate_expired","#
                + #""listener":"public"}"#
        )
        #expect(try Self.parse(line).count == 6)
    }

    @Test func connectionEventLine() throws {
        let event = AccessLogEvent.connection(
            ConnectionEventRecord(
                time: Self.time,
                event: "connection_rejected",
                downstreamAddress: "198.51.100.7:40000",
                reason: "max_connections"
            )
        )
        let object = try Self.parse(event.jsonLine())
        #expect(object["event"] as? String == "connection_rejected")
        #expect(object["reason"] as? String == "max_connections")
        #expect(object["listener"] is NSNull)
    }
}
