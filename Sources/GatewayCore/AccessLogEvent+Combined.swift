import Foundation

extension AccessLogEvent {
    /// The event in Apache combined log format plus the client identity, no trailing newline.
    ///
    /// Requests:
    /// `%h - - [%t] "%m %U %H" %>s %b "%{Referer}i" "%{User-Agent}i" "<client subject DN>" "<x5t#S256>"`,
    /// e.g. `203.0.113.9 - - [30/Nov/2026:10:38:08 +0000] "GET /accounts HTTP/1.1" 200 512 "-" "curl/8.5" "CN=…" "q3…"`.
    /// `%h` is the downstream IP without the port, `%t` is always UTC, `%b` is `-` for an empty
    /// body, the query string is never written (`%q` is empty), and absent values are `-`.
    ///
    /// Connection-level events (failed handshakes and the like) keep the same leading columns so
    /// combined-format parsers still read them, with request `"-"`, status `000` and size `-`,
    /// followed by `event="…" reason="…" sni="…" listener="…"`, e.g.
    /// `203.0.113.9 - - [30/Nov/2026:10:38:08 +0000] "-" 000 - "-" "-" "-" "-" event="tls_handshake_failed" reason="certificate_expired" sni="api.bank.example" listener="public"`.
    ///
    /// Why the escaping: every quoted value may be attacker-controlled, so `"` and `\` are
    /// backslash-escaped and control characters are written as `\n`, `\r`, `\t` or `\xHH`
    /// (as Apache's `ap_escape_logitem` does); a client can never start a new line or field.
    func combinedLine() -> String {
        var output = LogLineBuffer(capacity: 384)
        switch self {
        case .request(let record):
            Self.appendCombined(record, to: &output)
        case .handshakeFailed(let record):
            Self.appendCombinedConnection(
                time: record.time,
                event: "tls_handshake_failed",
                downstreamAddress: record.downstreamAddress,
                sni: record.sni,
                reason: record.reason,
                listener: record.listener,
                to: &output
            )
        case .connection(let record):
            Self.appendCombinedConnection(
                time: record.time,
                event: record.event,
                downstreamAddress: record.downstreamAddress,
                sni: record.sni,
                reason: record.reason,
                listener: record.listener,
                to: &output
            )
        }
        return output.string
    }

    private static func appendCombined(_ record: AccessLogRecord, to output: inout LogLineBuffer) {
        Self.appendPrefix(time: record.time, downstreamAddress: record.downstreamAddress, to: &output)
        output.append(" \"")
        Self.appendEscaped(record.method, to: &output)
        output.append(UInt8(ascii: " "))
        Self.appendEscaped(AccessLogRecord.pathWithoutQuery(record.path), to: &output)
        output.append(UInt8(ascii: " "))
        Self.appendEscaped(record.protocol, to: &output)
        output.append("\" ")
        output.appendDecimal(record.status)
        output.append(UInt8(ascii: " "))
        if record.bytesSent > 0 {
            output.appendDecimal(record.bytesSent)
        } else {
            output.append(UInt8(ascii: "-"))
        }
        output.append(UInt8(ascii: " "))
        Self.appendQuoted(record.referer, to: &output)
        output.append(UInt8(ascii: " "))
        Self.appendQuoted(record.userAgent, to: &output)
        output.append(UInt8(ascii: " "))
        Self.appendQuoted(record.clientSubject, to: &output)
        output.append(UInt8(ascii: " "))
        Self.appendQuoted(record.clientThumbprintS256, to: &output)
    }

    private static func appendCombinedConnection(
        time: Date,
        event: String,
        downstreamAddress: String,
        sni: String?,
        reason: String,
        listener: String?,
        to output: inout LogLineBuffer
    ) {
        Self.appendPrefix(time: time, downstreamAddress: downstreamAddress, to: &output)
        output.append(#" "-" 000 - "-" "-" "-" "-" event="#)
        Self.appendQuoted(event, to: &output)
        output.append(" reason=")
        Self.appendQuoted(reason, to: &output)
        output.append(" sni=")
        Self.appendQuoted(sni, to: &output)
        output.append(" listener=")
        Self.appendQuoted(listener, to: &output)
    }

    /// `%h - - [%t]`.
    private static func appendPrefix(time: Date, downstreamAddress: String, to output: inout LogLineBuffer) {
        Self.appendEscaped(Self.hostPart(of: downstreamAddress), to: &output)
        output.append(" - - [")
        AccessLogTimestamp(time).appendCommonLogFormat(to: &output)
        output.append(UInt8(ascii: "]"))
    }

    /// The IP of `ip:port` or `[v6]:port`; anything else unchanged.
    static func hostPart(of address: String) -> Substring {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return address[address.index(after: address.startIndex)..<close]
        }
        let colons = address.utf8.lazy.filter { $0 == UInt8(ascii: ":") }.count
        if colons == 1, let colon = address.lastIndex(of: ":") {
            return address[..<colon]
        }
        return address[...]
    }

    /// `"value"` escaped, or `"-"` when absent or empty.
    private static func appendQuoted(_ value: String?, to output: inout LogLineBuffer) {
        output.append(UInt8(ascii: "\""))
        if let value, !value.isEmpty {
            Self.appendEscaped(value[...], to: &output)
        } else {
            output.append(UInt8(ascii: "-"))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ value: String, to output: inout LogLineBuffer) {
        Self.appendEscaped(value[...], to: &output)
    }

    private static func appendEscaped(_ value: Substring, to output: inout LogLineBuffer) {
        output.appendEscaping(value, needsEscape: Self.needsEscape, escape: Self.escape)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func escape(_ byte: UInt8, into output: inout LogLineBuffer) {
        switch byte {
        case UInt8(ascii: "\""):
            output.append("\\\"")
        case UInt8(ascii: "\\"):
            output.append("\\\\")
        case UInt8(ascii: "\n"):
            output.append("\\n")
        case UInt8(ascii: "\r"):
            output.append("\\r")
        case UInt8(ascii: "\t"):
            output.append("\\t")
        default:
            output.append("\\x")
            output.appendHex(byte)
        }
    }
}
