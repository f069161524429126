/// The files `SandboxPKI.write(to:)` produces, by exact name.
///
/// Other code (the example gateway.conf, docs, tests) refers to these names, so they are part of
/// the public contract: renaming one is a breaking change.
public enum SandboxPKIFile: String, Sendable, Hashable, CaseIterable {
    /// Sandbox root CA certificate (the trust anchor to configure).
    case rootCA = "root-ca.pem"
    /// Sandbox root CA private key.
    case rootCAKey = "root-ca.key"
    /// Sandbox issuing CA certificate (pathlen 0).
    case issuingCA = "issuing-ca.pem"
    /// Sandbox issuing CA private key.
    case issuingCAKey = "issuing-ca.key"
    /// Gateway server certificate, leaf only.
    case server = "server.pem"
    /// Gateway server certificate followed by the issuing CA.
    case serverChain = "server-chain.pem"
    /// Gateway server private key.
    case serverKey = "server.key"
    /// TPP legacy transport (MTLS client) certificate.
    case transport = "tpp-transport.pem"
    /// TPP legacy transport private key.
    case transportKey = "tpp-transport.key"
    /// TPP legacy transport certificate followed by the issuing CA.
    case transportChain = "tpp-transport-chain.pem"
    /// TPP transport certificate, issuing CA and private key (curl --cert, ab -E).
    case transportBundle = "tpp-transport-bundle.pem"
    /// TPP OBWAC transport certificate with PSD2 qcStatements.
    case obwacTransport = "tpp-obwac-transport.pem"
    /// TPP OBWAC transport private key.
    case obwacTransportKey = "tpp-obwac-transport.key"
    /// TPP legacy signing certificate.
    case signing = "tpp-signing.pem"
    /// TPP legacy signing private key.
    case signingKey = "tpp-signing.key"
    /// Authorization server token-signing private key (no certificate).
    case asSigningKey = "as-signing.key"
    /// Sandbox directory SSA signing certificate.
    case directorySigning = "directory-signing.pem"
    /// Sandbox directory SSA signing private key.
    case directorySigningKey = "directory-signing.key"
    /// Negative: transport certificate that has expired.
    case expiredTransport = "expired-transport.pem"
    /// Negative: expired transport private key.
    case expiredTransportKey = "expired-transport.key"
    /// Negative: transport certificate not valid until tomorrow.
    case notYetValidTransport = "not-yet-valid-transport.pem"
    /// Negative: not-yet-valid transport private key.
    case notYetValidTransportKey = "not-yet-valid-transport.key"
    /// Negative: transport certificate with EKU serverAuth only.
    case wrongEKUTransport = "wrong-eku-transport.pem"
    /// Negative: wrong-EKU transport private key.
    case wrongEKUTransportKey = "wrong-eku-transport.key"
    /// Negative: an unrelated root CA (do not trust it).
    case otherRootCA = "other-root-ca.pem"
    /// Negative: unrelated root CA private key.
    case otherRootCAKey = "other-root-ca.key"
    /// Negative: transport certificate issued by the unrelated root.
    case otherCATransport = "other-ca-transport.pem"
    /// Negative: other-CA transport private key.
    case otherCATransportKey = "other-ca-transport.key"
    /// The index of the directory: one line per file with its subject DN.
    case readme = "README.txt"

    /// The file name inside the PKI directory.
    public var fileName: String {
        self.rawValue
    }

    /// Whether the file holds a private key (and is therefore written with mode 0600).
    ///
    /// Why: the bundle holds the transport key too, so it is as secret as the `.key` file.
    public var containsPrivateKey: Bool {
        self.rawValue.hasSuffix(".key") || self == .transportBundle
    }

    /// What the file is, in a few words (used in README.txt).
    public var summary: String {
        switch self {
        case .rootCA: "sandbox root CA certificate (the trust anchor to configure)"
        case .rootCAKey: "sandbox root CA private key"
        case .issuingCA: "sandbox issuing CA certificate (pathlen 0)"
        case .issuingCAKey: "sandbox issuing CA private key"
        case .server: "gateway server certificate, leaf only"
        case .serverChain: "gateway server certificate followed by the issuing CA"
        case .serverKey: "gateway server private key"
        case .transport: "TPP legacy transport (MTLS client) certificate"
        case .transportKey: "TPP legacy transport private key"
        case .transportChain: "TPP legacy transport certificate followed by the issuing CA"
        case .transportBundle: "TPP transport certificate, issuing CA and private key (curl --cert, ab -E)"
        case .obwacTransport: "TPP OBWAC transport certificate with PSD2 qcStatements"
        case .obwacTransportKey: "TPP OBWAC transport private key"
        case .signing: "TPP legacy signing certificate"
        case .signingKey: "TPP legacy signing private key"
        case .asSigningKey: "authorization server token-signing private key (no certificate)"
        case .directorySigning: "sandbox directory SSA signing certificate"
        case .directorySigningKey: "sandbox directory SSA signing private key"
        case .expiredTransport: "negative: transport certificate that has expired"
        case .expiredTransportKey: "negative: expired transport private key"
        case .notYetValidTransport: "negative: transport certificate not valid until tomorrow"
        case .notYetValidTransportKey: "negative: not-yet-valid transport private key"
        case .wrongEKUTransport: "negative: transport certificate with EKU serverAuth only"
        case .wrongEKUTransportKey: "negative: wrong-EKU transport private key"
        case .otherRootCA: "negative: an unrelated root CA (do not trust it)"
        case .otherRootCAKey: "negative: unrelated root CA private key"
        case .otherCATransport: "negative: transport certificate issued by the unrelated root"
        case .otherCATransportKey: "negative: other-CA transport private key"
        case .readme: "this file"
        }
    }
}
