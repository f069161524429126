import X509

/// What a certificate is for; decides its extensions.
///
/// Every profile except `custom` adds, besides the extensions listed on each case:
/// - subjectKeyIdentifier (SHA-1 of the subject public key, RFC 5280 §4.2.1.2 method 1);
/// - authorityKeyIdentifier = the issuer's subjectKeyIdentifier (RFC 5280 §4.2.1.1), which lets path
///   builders pick the right issuer when two CAs share a name;
/// - a critical basicConstraints (RFC 5280 §4.2.1.9) and a critical keyUsage (RFC 5280 §4.2.1.3).
///
/// `keyEncipherment` is set only when the subject key is RSA: it names RSA key transport, which an
/// ECDSA key cannot do (RFC 8813 §3), and strict TLS stacks reject EC certificates that claim it.
public enum CertificateProfile: Sendable {
    /// A subordinate CA: CA true with the given pathLenConstraint (nil = unlimited),
    /// keyCertSign + cRLSign. The Open Banking issuing CAs use path length 0.
    case intermediateCA(pathLength: Int?)
    /// A TLS server: digitalSignature (+ keyEncipherment for RSA), EKU serverAuth, and a
    /// subjectAltName with the given DNS names and IP addresses (RFC 6125 §6.4: clients match SANs,
    /// not the CN). IP strings are dotted IPv4 or IPv6 text and become iPAddress entries.
    case tlsServer(dnsNames: [String], ipAddresses: [String])
    /// An Open Banking transport (MTLS client) certificate: CA false, digitalSignature
    /// (+ keyEncipherment for RSA), EKU clientAuth only; serverAuth is deliberately absent.
    case tlsClient
    /// A JWS signing certificate (OB legacy signing, OBSeal): CA false,
    /// digitalSignature + nonRepudiation, no extendedKeyUsage, so it cannot authenticate TLS.
    case signing
    /// An end-entity certificate with exactly this keyUsage and these extended key usages (EKU
    /// omitted when empty); CA false. For negatives such as a transport certificate with only
    /// serverAuth.
    case endEntity(keyUsage: KeyUsage, extendedKeyUsage: [ExtendedKeyUsage.Usage])
    /// Exactly these extensions and nothing else: no subject/authority key identifiers, no basic
    /// constraints. For deliberately odd certificates in tests.
    case custom(extensions: Certificate.Extensions)
}
