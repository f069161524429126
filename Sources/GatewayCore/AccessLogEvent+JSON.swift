import Foundation

extension AccessLogEvent {
    /// The event as one JSON object (RFC 8259), keys in contract order, no trailing newline.
    func jsonLine() -> String {
        switch self {
        case .request(let record):
            return Self.json(record)
        case .handshakeFailed(let record):
            return Self.connectionJSON(
                time: record.time,
                event: "tls_handshake_failed",
                downstreamAddress: record.downstreamAddress,
                sni: record.sni,
                reason: record.reason,
                listener: record.listener
            )
        case .connection(let record):
            return Self.connectionJSON(
                time: record.time,
                event: record.event,
                downstreamAddress: record.downstreamAddress,
                sni: record.sni,
                reason: record.reason,
                listener: record.listener
            )
        }
    }

    private static func json(_ record: AccessLogRecord) -> String {
        var writer = JSONObjectWriter(capacity: 768)
        writer.timestamp("time", record.time)
        writer.string("event", "request")
        writer.string("request_id", record.requestID)
        writer.string("downstream_address", record.downstreamAddress)
        writer.string("sni", record.sni)
        writer.string("tls_version", record.tlsVersion)
        writer.bool("tls_resumed", record.tlsResumed)
        writer.string("client_verify", record.clientVerify)
        // client_subject … software_id, escaped once per validated chain.
        writer.members(record.identity.jsonMembers)
        writer.string("method", record.method)
        writer.string("host", record.host)
        writer.string("path", AccessLogRecord.pathWithoutQuery(record.path))
        writer.string("protocol", record.protocol)
        writer.string("route", record.route)
        writer.string("upstream", record.upstream)
        writer.string("upstream_address", record.upstreamAddress)
        writer.integer("status", record.status)
        writer.integer("bytes_received", record.bytesReceived)
        writer.integer("bytes_sent", record.bytesSent)
        writer.milliseconds("duration_ms", record.durationMS)
        writer.milliseconds("upstream_ms", record.upstreamMS)
        writer.string("error", record.error)
        // `referer` and `userAgent` exist for the combined format only: the JSON key set is a
        // fixed contract, so they are never written here.
        return writer.finish()
    }

    private static func connectionJSON(
        time: Date,
        event: String,
        downstreamAddress: String,
        sni: String?,
        reason: String,
        listener: String?
    ) -> String {
        var writer = JSONObjectWriter(capacity: 256)
        writer.timestamp("time", time)
        writer.string("event", event)
        writer.string("downstream_address", downstreamAddress)
        writer.string("sni", sni)
        writer.string("reason", reason)
        writer.string("listener", listener)
        return writer.finish()
    }
}

/// Appends the members of one flat JSON object to a ``LogLineBuffer``.
///
/// Keys are trusted literals; values are escaped per RFC 8259 §7: `"` and `\` are backslash-escaped,
/// control characters (U+0000–U+001F) become `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`, everything
/// else, including non-ASCII, is kept as UTF-8. Why: request fields (path, host, SNI) are
/// attacker-controlled; without escaping a client could forge extra log lines or fields.
struct JSONObjectWriter {
    private var output: LogLineBuffer
    private var isFirst = true

    init(capacity: Int) {
        self.output = LogLineBuffer(capacity: capacity)
        self.output.append(UInt8(ascii: "{"))
    }

    /// A writer for members only (no braces), to be inserted into objects with ``members(_:)``.
    init(membersOnly capacity: Int) {
        self.output = LogLineBuffer(capacity: capacity)
    }

    mutating func finish() -> String {
        self.output.append(UInt8(ascii: "}"))
        return self.output.string
    }

    /// The members written so far, as bytes (a writer made with ``init(membersOnly:)``).
    func finishMembers() -> [UInt8] {
        self.output.bytes
    }

    /// Members rendered by another writer (``finishMembers()``), inserted as they are.
    mutating func members(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if self.isFirst {
            self.isFirst = false
        } else {
            self.output.append(UInt8(ascii: ","))
        }
        self.output.append(contentsOf: bytes)
    }

    /// Keys are literals (`StaticString`): appended as raw bytes, not through `String.UTF8View`
    /// (that showed up at ~0.7% of the proxy's CPU in the access-log writer).
    private mutating func key(_ key: StaticString) {
        if self.isFirst {
            self.isFirst = false
        } else {
            self.output.append(UInt8(ascii: ","))
        }
        self.output.append(UInt8(ascii: "\""))
        self.output.appendStatic(key)
        self.output.appendStatic("\":")
    }

    mutating func string(_ key: StaticString, _ value: String?) {
        self.key(key)
        guard let value else {
            self.output.appendStatic("null")
            return
        }
        Self.appendQuoted(value, to: &self.output)
    }

    mutating func bool(_ key: StaticString, _ value: Bool) {
        self.key(key)
        self.output.appendStatic(value ? "true" : "false")
    }

    mutating func integer(_ key: StaticString, _ value: Int) {
        self.key(key)
        self.output.appendDecimal(value)
    }

    mutating func timestamp(_ key: StaticString, _ value: Date) {
        self.key(key)
        self.output.append(UInt8(ascii: "\""))
        AccessLogTimestamp(value).appendRFC3339(to: &self.output)
        self.output.append(UInt8(ascii: "\""))
    }

    /// A duration with exactly three decimals (`12.345`); `null` when absent or not finite.
    mutating func milliseconds(_ key: StaticString, _ value: Double?) {
        self.key(key)
        guard let value, value.isFinite, abs(value) < 1e15 else {
            self.output.appendStatic("null")
            return
        }
        let thousandths = Int((value * 1000).rounded())
        if thousandths < 0 {
            self.output.append(UInt8(ascii: "-"))
        }
        let magnitude = Int(thousandths.magnitude)
        self.output.appendDecimal(magnitude / 1000)
        self.output.append(UInt8(ascii: "."))
        self.output.appendPadded(magnitude % 1000, width: 3)
    }

    static func appendQuoted(_ value: String, to output: inout LogLineBuffer) {
        output.append(UInt8(ascii: "\""))
        output.appendEscaping(value[...], needsEscape: Self.needsEscape, escape: Self.escape)
        output.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
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
        case 0x08:
            output.append("\\b")
        case 0x0C:
            output.append("\\f")
        default:
            output.append("\\u00")
            output.appendHex(byte)
        }
    }
}
