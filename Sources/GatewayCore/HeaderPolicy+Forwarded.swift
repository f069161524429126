import NIOHTTP1

extension HeaderPolicy {
    /// Inbound forwarding header values, collected during the pass.
    struct InboundForwarding {
        var forwardedFor: [String] = []
        var forwarded: [String] = []
        var proto: [String] = []
        var host: [String] = []
        var port: [String] = []
        var realIP: [String] = []
    }

    /// Adds this hop's forwarding headers. From a trusted downstream the inbound `X-Forwarded-For`
    /// and `Forwarded` chains are extended and the other inbound values kept; from anyone else only
    /// this hop's values are sent, because a client can write anything there (IP allow-list and
    /// audit-log spoofing).
    static func addForwardingHeaders(to output: inout [(String, String)], inbound: InboundForwarding, context: ForwardingContext) {
        let trusted = context.downstreamIsTrusted
        let peer = context.downstreamAddress

        // X-Forwarded-For: <client>, <proxy1>, …, <peer>
        if trusted, !inbound.forwardedFor.isEmpty {
            output.append((Names.forwardedFor, inbound.forwardedFor.joined(separator: ", ") + ", " + peer))
        } else {
            output.append((Names.forwardedFor, peer))
        }
        Self.addKeptOrOwn(Names.forwardedProto, inbound.proto, own: context.scheme, trusted: trusted, to: &output)
        Self.addKeptOrOwn(Names.forwardedHost, inbound.host, own: context.requestHost, trusted: trusted, to: &output)
        let port = context.localPortText ?? context.localPort.map { String($0) }
        Self.addKeptOrOwn(Names.forwardedPort, inbound.port, own: port, trusted: trusted, to: &output)

        // RFC 7239 §4: for=<peer>;proto=<scheme>;host=<host>, appended as a new element (§7.1).
        let element = context.forwardedElement ?? Self.forwardedElement(context)
        if trusted, !inbound.forwarded.isEmpty {
            output.append((Names.forwarded, inbound.forwarded.joined(separator: ", ") + ", " + element))
        } else {
            output.append((Names.forwarded, element))
        }
        Self.addKeptOrOwn(Names.realIP, inbound.realIP, own: peer, trusted: trusted, to: &output)
    }

    private static func addKeptOrOwn(
        _ name: String,
        _ inbound: [String],
        own: String?,
        trusted: Bool,
        to output: inout [(String, String)]
    ) {
        if trusted, !inbound.isEmpty {
            output.append((name, inbound.joined(separator: ", ")))
        } else if let own {
            output.append((name, own))
        }
    }

    /// This hop's `Forwarded` element. IPv6 addresses are bracketed and quoted (RFC 7239 §6);
    /// any value that is not an RFC 9110 token is sent as a quoted-string.
    public static func forwardedElement(_ context: ForwardingContext) -> String {
        let address = context.downstreamAddress
        let node = address.utf8.contains(UInt8(ascii: ":")) ? "[" + address + "]" : address
        var element = "for=" + Self.tokenOrQuoted(node) + ";proto=" + Self.tokenOrQuoted(context.scheme)
        if let host = context.requestHost, !host.isEmpty {
            element += ";host=" + Self.tokenOrQuoted(host)
        }
        return element
    }

    /// `value` as an RFC 9110 §5.6.2 token when it is one, else as a §5.6.4 quoted-string.
    static func tokenOrQuoted(_ value: String) -> String {
        if !value.isEmpty, value.utf8.allSatisfy(Self.isTokenByte) {
            return value
        }
        var quoted = "\""
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" {
                quoted.unicodeScalars.append("\\")
            }
            quoted.unicodeScalars.append(character)
        }
        quoted += "\""
        return quoted
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
