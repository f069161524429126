/// How a distinguished name is rendered as a string (headers, access log).
///
/// Why two: banks' existing software expects OpenSSL's rendering (`organizationIdentifier=` by
/// name), while strict RFC 4514 renders any type other than CN L ST O OU C STREET DC UID as a dotted
/// OID with a `#hex` DER value. See shared/docs open-banking.md §2.
public enum DNFormat: String, Sendable, Hashable, CaseIterable {
    /// Exactly what `openssl x509 -noout -subject -nameopt RFC2253` prints after `subject=`.
    case openssl
    /// Strict RFC 4514 §2.
    case rfc4514
}
