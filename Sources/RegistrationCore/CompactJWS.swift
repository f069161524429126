/// A JWS in compact serialisation (RFC 7515 §7.1), split and decoded but not yet verified.
///
/// Why parse by hand: every JOSE library has defaults (which key, which algorithm, how lenient the
/// base64) that have produced authentication bypasses. Here the shape is checked strictly and the
/// verification decisions are made explicitly by ``JWSVerifier``.
public struct CompactJWS: Sendable, Hashable {
    /// The default bound on the whole serialisation: the registration endpoint's body limit.
    public static let defaultMaximumLength = 65_536
    /// The bound on the decoded header.
    public static let maximumHeaderLength = 8_192

    /// The decoded protected header.
    public let header: JOSEHeader
    /// The decoded payload.
    public let payload: [UInt8]
    /// `BASE64URL(header) || '.' || BASE64URL(payload)` as received: the bytes that were signed.
    public let signingInput: [UInt8]
    /// The decoded signature (empty for `alg: none`).
    public let signature: [UInt8]
    /// The serialisation as received.
    public let serialization: String

    /// Parses a compact JWS.
    ///
    /// Rules: at most `maximumLength` bytes (surrounding whitespace trimmed, as a body may end in a
    /// newline); exactly three segments; each segment strict base64url (no `=`, `+`, `/` or
    /// whitespace; canonical); the header a JSON object with a string `alg` and no `crit`. The
    /// payload is not interpreted here (see ``claims()``).
    ///
    /// - Throws: ``JOSEError`` naming the first rule broken.
    public static func parse(
        _ string: String,
        maximumLength: Int = Self.defaultMaximumLength
    ) throws(JOSEError)
        -> CompactJWS
    {
        // Cheap pre-check before copying: surrounding whitespace cannot excuse megabytes.
        guard string.utf8.count <= maximumLength + 1_024 else {
            throw .tooLarge(limit: maximumLength)
        }
        let trimmed = Self.trimmingWhitespace(Array(string.utf8))
        guard trimmed.count <= maximumLength else {
            throw .tooLarge(limit: maximumLength)
        }
        let segments = trimmed.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else {
            throw .wrongSegmentCount(segments.count)
        }
        guard let headerBytes = Base64URL.decodeStrict(segments[0]), !headerBytes.isEmpty else {
            throw .invalidBase64URL(.header)
        }
        guard let payload = Base64URL.decodeStrict(segments[1]) else {
            throw .invalidBase64URL(.payload)
        }
        guard let signature = Base64URL.decodeStrict(segments[2]) else {
            throw .invalidBase64URL(.signature)
        }
        guard headerBytes.count <= Self.maximumHeaderLength,
            case .object(let parameters) = try? JSONValue.parse(headerBytes)
        else {
            throw .headerNotJSONObject
        }
        let header = try JOSEHeader(parameters: parameters)
        let signingInputLength = segments[0].count + 1 + segments[1].count
        return CompactJWS(
            header: header,
            payload: payload,
            signingInput: Array(trimmed.prefix(signingInputLength)),
            signature: signature,
            serialization: String(decoding: trimmed, as: UTF8.self)
        )
    }

    /// The payload as a JSON object: the JWT claims set (RFC 7519 §7.2 step 10).
    ///
    /// - Throws: ``JOSEError/payloadNotJSONObject`` when the payload is not a JSON object.
    public func claims() throws(JOSEError) -> [String: JSONValue] {
        guard case .object(let claims) = try? JSONValue.parse(self.payload) else {
            throw .payloadNotJSONObject
        }
        return claims
    }

    private static func trimmingWhitespace(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else {
            return []
        }
        return bytes[first...last]
    }
}
