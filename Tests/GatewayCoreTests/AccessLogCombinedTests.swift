import Foundation
import Testing

@testable import GatewayCore

@Suite("Access log: combined format")
struct AccessLogCombinedTests {
    @Test func goldenRequestLine() {
        var record = AccessLogJSONTests.record()
        record.userAgent = "curl/8.5.0"
        let line = AccessLogEvent.request(record).combinedLine()
        #expect(
            line
                == #"203.0.113.9 - - [30/Nov/2026:10:38:08 +0000] "GET /open-banking/v3.1/aisp/accounts HTTP/1.1" 200 512 "-" "curl/8.5.0" "CN=soft1,OU=org1,O=OpenBanking,C=GB" "q3Jk""#
        )
    }

    @Test func absentValuesAreDashesAndIPv6LosesItsBracketsAndPort() {
        let record = AccessLogRecord(
            time: AccessLogJSONTests.time,
            requestID: "r",
            downstreamAddress: "[2001:db8::1]:443",
            clientVerify: "NONE",
            method: "POST",
            path: "/register?x=1",
            protocol: "HTTP/1.1",
            status: 502,
            bytesReceived: 10,
            bytesSent: 0,
            durationMS: 1
        )
        #expect(
            AccessLogEvent.request(record).combinedLine()
                == #"2001:db8::1 - - [30/Nov/2026:10:38:08 +0000] "POST /register HTTP/1.1" 502 - "-" "-" "-" "-""#
        )
    }

    @Test func hostileValuesCannotBreakTheLine() {
        var record = AccessLogJSONTests.record()
        record.path = "/a\"b\\c\r\nfake 200"
        record.userAgent = "ua\u{7F}\u{01}\t"
        let line = AccessLogEvent.request(record).combinedLine()
        #expect(!line.contains("\n") && !line.contains("\r"))
        #expect(line.contains(#""GET /a\"b\\c\r\nfake 200 HTTP/1.1""#))
        #expect(line.contains(#""ua\x7f\x01\t""#))
    }

    @Test func handshakeFailureLine() {
        let event = AccessLogEvent.handshakeFailed(
            HandshakeFailureRecord(
                time: AccessLogJSONTests.time,
                downstreamAddress: "203.0.113.9:51234",
                sni: "api.bank.example",
                reason: "certificate_expired",
                listener: "public"
            )
        )
        #expect(
            event.combinedLine()
                == #"203.0.113.9 - - [30/Nov/2026:10:38:08 +0000] "-" 000 - "-" "-" "-" "-" event="tls_handshake_failed" reason="certificate_expired" sni="api.bank.example" listener="public""#
        )
    }

    @Test func lineDispatchesOnTheConfiguredFormat() {
        let event = AccessLogEvent.request(AccessLogJSONTests.record())
        #expect(event.line(format: .json) == event.jsonLine())
        #expect(event.line(format: .combined) == event.combinedLine())
        #expect(event.line(format: .json).hasPrefix("{"))
        #expect(event.line(format: .combined).hasPrefix("203.0.113.9 - - ["))
    }

    @Test func hostPart() {
        #expect(AccessLogEvent.hostPart(of: "10.0.0.1:80") == "10.0.0.1")
        #expect(AccessLogEvent.hostPart(of: "[::1]:80") == "::1")
        #expect(AccessLogEvent.hostPart(of: "unix") == "unix")
    }
}
