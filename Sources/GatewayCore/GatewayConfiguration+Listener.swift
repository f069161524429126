import X509

/// The lowest TLS version a listener accepts (`tls_min_version`).
public enum TLSMinimumVersion: String, Sendable, Hashable, CaseIterable {
    /// TLS 1.2 (RFC 5246); FAPI 1.0 still allows it with restricted cipher suites.
    case tls12 = "1.2"
    /// TLS 1.3 (RFC 8446).
    case tls13 = "1.3"
}

/// One TLS listener (`[[listener]]`), with its certificates already loaded.
///
/// Both the absolute paths and the parsed certificates are kept: the I/O layer loads the files
/// again into NIOSSL, while verification and warnings use the parsed form.
public struct ListenerConfiguration: Sendable {
    /// `name`: unique among listeners; appears in logs and metrics.
    public var name: String
    /// `address`.
    public var address: SocketAddressSpec
    /// `certificate_chain`, absolute: the server certificate first, then its intermediates.
    public var certificateChainPath: String
    /// `private_key`, absolute: matches the first certificate of the chain (checked at load).
    public var privateKeyPath: String
    /// The certificates of `certificate_chain`, in file order.
    public var certificateChain: [Certificate]
    /// `client_certificate`; default `required`, so that a listener fails closed.
    public var clientCertificate: ClientCertificateMode
    /// `trust_roots`, absolute; required unless `client_certificate` is `none`.
    public var trustRootPaths: [String]
    /// Every certificate of every `trust_roots` file: the anchors client chains must reach.
    public var trustRoots: [Certificate]
    /// `intermediates`, absolute.
    public var intermediatePaths: [String]
    /// Every certificate of every `intermediates` file: usable for path building when a client
    /// does not send its issuing CA (common in Open Banking).
    public var intermediates: [Certificate]
    /// `max_chain_depth`: certificates in a client path, leaf and anchor included; at least 2,
    /// default 4. Open Banking needs 3 (leaf → issuing → root).
    public var maxChainDepth: Int
    /// `tls_min_version`; default 1.2.
    public var tlsMinimumVersion: TLSMinimumVersion

    /// Creates a listener configuration (no validation).
    public init(
        name: String,
        address: SocketAddressSpec,
        certificateChainPath: String,
        privateKeyPath: String,
        certificateChain: [Certificate],
        clientCertificate: ClientCertificateMode = .required,
        trustRootPaths: [String] = [],
        trustRoots: [Certificate] = [],
        intermediatePaths: [String] = [],
        intermediates: [Certificate] = [],
        maxChainDepth: Int = 4,
        tlsMinimumVersion: TLSMinimumVersion = .tls12
    ) {
        self.name = name
        self.address = address
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.certificateChain = certificateChain
        self.clientCertificate = clientCertificate
        self.trustRootPaths = trustRootPaths
        self.trustRoots = trustRoots
        self.intermediatePaths = intermediatePaths
        self.intermediates = intermediates
        self.maxChainDepth = maxChainDepth
        self.tlsMinimumVersion = tlsMinimumVersion
    }
}
