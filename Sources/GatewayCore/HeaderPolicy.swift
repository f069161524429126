import NIOHTTP1

/// Header hygiene between downstream and upstream: one named function per direction, each rule
/// beside the RFC or attack it answers (code-style.md habit 10).
public enum HeaderPolicy {
    /// Turns the inbound request headers into those sent upstream, in one pass over the headers
    /// (plus a cheap pre-scan for `Connection`).
    ///
    /// Rules, in order:
    /// 1. Any value with a control character other than HTAB (CR, LF, NUL, …) or DEL →
    ///    ``HeaderPolicyError/invalidHeaderValue(name:)`` (RFC 9110 §5.5 field-value; request
    ///    splitting / header injection). The upstream pipeline relies on this instead of
    ///    re-validating every outbound header byte.
    /// 2. Hop-by-hop headers are dropped: `Connection`, `Keep-Alive`, `Proxy-Connection`, `TE`,
    ///    `Trailer`, `Upgrade`, `Proxy-Authenticate`, `Proxy-Authorization`, and every header named
    ///    in `Connection` (RFC 9110 §7.6.1). `Host`, `Content-Length` and `Transfer-Encoding` are
    ///    never removed that way: the caller frames the body, and letting a client delete framing
    ///    headers through `Connection` is a request-smuggling primitive.
    /// 3. Every identity header (``IdentityHeaderNames/isIdentityHeader(_:)``), in any case and with
    ///    `_` or `-`, is dropped: a forged `Client-Cert` would be an authentication bypass
    ///    (RFC 9440 §3).
    /// 4. `X-Forwarded-For`, `Forwarded` (RFC 7239): from a trusted downstream the inbound chain is
    ///    kept and this hop appended; otherwise replaced by this hop alone (IP spoofing).
    ///    `X-Forwarded-Proto`, `-Host`, `-Port` and `X-Real-IP`: kept from a trusted downstream
    ///    (it saw the original request), otherwise replaced with this hop's values.
    /// 5. `X-Request-Id` is set to `context.requestID`.
    /// 6. `context.identityHeaders` are appended last, so nothing inbound can shadow them.
    ///
    /// Output order: surviving inbound headers as received, then `X-Forwarded-For`,
    /// `X-Forwarded-Proto`, `X-Forwarded-Host`, `X-Forwarded-Port`, `Forwarded`, `X-Real-IP`,
    /// `X-Request-Id`, then the identity headers.
    public static func prepareUpstreamRequest(
        _ headers: inout HTTPHeaders,
        context: ForwardingContext
    ) throws(HeaderPolicyError) {
        let connectionTokens = Self.connectionTokens(in: headers)
        // Collected as plain pairs and turned into HTTPHeaders once: `HTTPHeaders.add` re-checks
        // every name (ASCII precondition, Connection tracking), which showed up in profiles.
        var output: [(String, String)] = []
        output.reserveCapacity(headers.count + 8 + context.identityHeaders.count)
        var inbound = InboundForwarding()

        for (name, value) in headers {
            if Self.containsForbiddenByte(value) {
                throw .invalidHeaderValue(name: name)
            }
            let kind = HeaderKind(name)
            switch kind {
            case .hopByHop, .requestID:
                continue
            case .framing, .host:
                output.append((name, value))
                continue
            default:
                break
            }
            if !connectionTokens.isEmpty, Self.isNamed(name, by: connectionTokens) {
                continue
            }
            switch kind {
            case .forwardedFor: inbound.forwardedFor.append(value)
            case .forwarded: inbound.forwarded.append(value)
            case .forwardedProto: inbound.proto.append(value)
            case .forwardedHost: inbound.host.append(value)
            case .forwardedPort: inbound.port.append(value)
            case .realIP: inbound.realIP.append(value)
            case .other:
                if !IdentityHeaderNames.isIdentityHeader(name) {
                    output.append((name, value))
                }
            case .hopByHop, .requestID, .framing, .host:
                continue
            }
        }

        Self.addForwardingHeaders(to: &output, inbound: inbound, context: context)
        output.append((Names.requestID, context.requestID))
        for header in context.identityHeaders {
            output.append((header.name, header.value))
        }
        headers = HTTPHeaders(output)
    }

    /// Response from upstream → what the downstream gets: hop-by-hop headers and those named in
    /// `Connection` removed (RFC 9110 §7.6.1; the downstream connection's own framing and
    /// keep-alive are the caller's), `Content-Length`/`Transfer-Encoding` kept, and `X-Request-Id`
    /// set to `requestID` (replacing any upstream value).
    ///
    /// Throws if a name or value holds a byte RFC 9110 §5.5 forbids (the caller answers 502):
    /// the downstream pipeline does not re-validate what it sends, so this is the one check
    /// between an upstream's bytes and the client.
    public static func prepareDownstreamResponse(_ headers: inout HTTPHeaders, requestID: String) throws(HeaderPolicyError) {
        let connectionTokens = Self.connectionTokens(in: headers)
        var output: [(String, String)] = []
        output.reserveCapacity(headers.count + 1)
        for (name, value) in headers {
            if Self.containsForbiddenByte(value) || Self.containsForbiddenByte(name) {
                throw .invalidHeaderValue(name: name)
            }
            switch HeaderKind(name) {
            case .hopByHop, .requestID:
                continue
            case .framing:
                output.append((name, value))
            default:
                if connectionTokens.isEmpty || !Self.isNamed(name, by: connectionTokens) {
                    output.append((name, value))
                }
            }
        }
        output.append((Names.requestID, requestID))
        headers = HTTPHeaders(output)
    }

    /// Checks trailers (a request's before they go upstream, a response's before they go to the
    /// client): the same value rule as ``prepareUpstreamRequest(_:context:)`` rule 1 (trailer
    /// fields are field lines too, RFC 9110 §6.5), since neither pipeline re-validates what it
    /// sends.
    public static func validateTrailers(_ trailers: HTTPHeaders) throws(HeaderPolicyError) {
        for (name, value) in trailers where Self.containsForbiddenByte(value) {
            throw .invalidHeaderValue(name: name)
        }
    }

    /// A byte RFC 9110 §5.5 does not allow in a field value anywhere in `value`: a control
    /// character other than HTAB (this includes CR, LF and NUL), or DEL. Bytes above 0x7F
    /// (obs-text) are allowed, as NIO's own outbound check allows them.
    static func containsForbiddenByte(_ value: String) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for byte in bytes where Self.isForbidden(byte) {
                return true
            }
            return false
        }
        if let result = value.utf8.withContiguousStorageIfAvailable(scan) {
            return result
        }
        return value.utf8.contains(where: Self.isForbidden)
    }

    @inline(__always)
    private static func isForbidden(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09) || byte == 0x7F
    }
}
