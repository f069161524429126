/// Why an RFC 9440 `Client-Cert` / `Client-Cert-Chain` field value was rejected.
public enum RFC9440Error: Error, Sendable, Hashable {
    /// Not a valid structured field (RFC 8941) of the expected kind (item or list).
    case malformedFieldValue
    /// A member is not a byte sequence (`:base64:`), or is an inner list.
    case notAByteSequence
    /// The byte sequence is not valid base64.
    case invalidBase64
    /// The byte sequence is empty: no certificate.
    case emptyCertificate
}
