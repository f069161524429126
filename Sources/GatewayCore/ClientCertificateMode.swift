/// Whether a listener asks for, and insists on, a client certificate (`client_certificate`).
public enum ClientCertificateMode: String, Sendable, Hashable, CaseIterable {
    /// The handshake fails without a valid certificate.
    case required
    /// A certificate is requested; without one the connection proceeds without identity, but a
    /// presented certificate that does not verify still fails the handshake.
    case optional
    /// No certificate is requested.
    case none
}
