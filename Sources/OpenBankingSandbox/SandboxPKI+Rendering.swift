import X509

extension SandboxPKI {
    /// The server certificate followed by the issuing CA: what the gateway presents.
    ///
    /// Why the issuing CA is included: clients trust only the root, so the server must send the
    /// intermediate (RFC 8446 §4.4.2); the root itself is left out, as peers already have it.
    public var serverChainPEM: String {
        self.server.certificatePEM + self.issuingCA.certificatePEM
    }

    /// The legacy transport certificate followed by the issuing CA: what a TPP client presents.
    public var transportChainPEM: String {
        self.transport.certificatePEM + self.issuingCA.certificatePEM
    }

    /// The issuing CA, as a store of intermediates for path building.
    public var intermediates: CertificateStore {
        CertificateStore([self.issuingCA.certificate])
    }

    /// The sandbox root, as a store of trust anchors.
    public var trustRoots: CertificateStore {
        CertificateStore([self.root.certificate])
    }

    /// README.txt: a header, then one line per file with what it is and its certificate's subject.
    var readme: String {
        var lines = [
            "MTLSGateway sandbox PKI, made by `ob-sandbox pki init`. For testing only: never trust it in production.",
            "Files holding private keys (*.key, tpp-transport-bundle.pem) are mode 0600. Subjects are RFC 4514 strings.",
            "",
        ]
        let width = SandboxPKIFile.allCases.map(\.fileName.count).max() ?? 0
        for file in SandboxPKIFile.allCases {
            let name = file.fileName.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "\(name)  \(file.summary)"
            if let issued = self.issuedCertificate(for: file) {
                line += "; subject \(issued.certificate.subject)"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The certificate a file holds or belongs to, if any.
    func issuedCertificate(for file: SandboxPKIFile) -> IssuedCertificate? {
        switch file {
        case .rootCA, .rootCAKey: self.root
        case .issuingCA, .issuingCAKey: self.issuingCA
        case .server, .serverChain, .serverKey: self.server
        case .transport, .transportKey, .transportChain, .transportBundle: self.transport
        case .obwacTransport, .obwacTransportKey: self.obwacTransport
        case .signing, .signingKey: self.signing
        case .directorySigning, .directorySigningKey: self.directorySigning
        case .expiredTransport, .expiredTransportKey: self.expiredTransport
        case .notYetValidTransport, .notYetValidTransportKey: self.notYetValidTransport
        case .wrongEKUTransport, .wrongEKUTransportKey: self.wrongEKUTransport
        case .otherRootCA, .otherRootCAKey: self.otherRoot
        case .otherCATransport, .otherCATransportKey: self.otherCATransport
        case .asSigningKey, .readme: nil
        }
    }
}
