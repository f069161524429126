import Foundation
import X509

extension SandboxPKI {
    /// Writes every `SandboxPKIFile` into `directory` (created if missing) and returns the file names
    /// written, in `SandboxPKIFile.allCases` order.
    ///
    /// Existing files are replaced: refusing to overwrite is the caller's decision (see
    /// `existingFiles(in:)`). Files holding a private key get mode 0600 from the moment they are
    /// created; certificates and README.txt get 0644.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        try SandboxFileSystem.createDirectory(directory)
        var written: [String] = []
        for file in SandboxPKIFile.allCases {
            let mode = file.containsPrivateKey ? SandboxFileSystem.privateMode : SandboxFileSystem.publicMode
            try SandboxFileSystem.write(
                try self.contents(of: file),
                to: Self.path(of: file, in: directory),
                mode: mode
            )
            written.append(file.fileName)
        }
        return written
    }

    /// Loads a directory written by `write(to:)`.
    ///
    /// Every certificate is paired with its key file and the pair is checked to match.
    /// - Throws: `SandboxPKIError.missingFile` or `.malformedFile` naming the offending file.
    public static func load(from directory: String) throws -> SandboxPKI {
        func pair(_ certificate: SandboxPKIFile, _ key: SandboxPKIFile) throws -> IssuedCertificate {
            let certificatePath = Self.path(of: certificate, in: directory)
            let keyPath = Self.path(of: key, in: directory)
            let certificatePEM = try SandboxFileSystem.read(certificatePath)
            let keyPEM = try SandboxFileSystem.read(keyPath)
            let parsedCertificate: Certificate
            do {
                parsedCertificate = try Certificate(pemEncoded: certificatePEM)
            } catch {
                throw SandboxPKIError.malformedFile(path: certificatePath, reason: "it is not one PEM certificate")
            }
            let parsedKey: Certificate.PrivateKey
            do {
                parsedKey = try Certificate.PrivateKey(pemEncoded: keyPEM)
            } catch {
                throw SandboxPKIError.malformedFile(path: keyPath, reason: "it is not one PEM private key")
            }
            guard parsedKey.publicKey == parsedCertificate.publicKey else {
                throw SandboxPKIError.malformedFile(path: keyPath, reason: "it is not the key of \(certificate.fileName)")
            }
            return try IssuedCertificate(certificate: parsedCertificate, privateKey: parsedKey)
        }

        let asKeyPath = Self.path(of: .asSigningKey, in: directory)
        let asSigningKey: Certificate.PrivateKey
        do {
            asSigningKey = try Certificate.PrivateKey(pemEncoded: SandboxFileSystem.read(asKeyPath))
        } catch let error as SandboxPKIError {
            throw error
        } catch {
            throw SandboxPKIError.malformedFile(path: asKeyPath, reason: "it is not one PEM private key")
        }

        return SandboxPKI(
            root: try pair(.rootCA, .rootCAKey),
            issuingCA: try pair(.issuingCA, .issuingCAKey),
            server: try pair(.server, .serverKey),
            transport: try pair(.transport, .transportKey),
            obwacTransport: try pair(.obwacTransport, .obwacTransportKey),
            signing: try pair(.signing, .signingKey),
            asSigningKey: asSigningKey,
            directorySigning: try pair(.directorySigning, .directorySigningKey),
            expiredTransport: try pair(.expiredTransport, .expiredTransportKey),
            notYetValidTransport: try pair(.notYetValidTransport, .notYetValidTransportKey),
            wrongEKUTransport: try pair(.wrongEKUTransport, .wrongEKUTransportKey),
            otherRoot: try pair(.otherRootCA, .otherRootCAKey),
            otherCATransport: try pair(.otherCATransport, .otherCATransportKey)
        )
    }

    /// The names of the `SandboxPKIFile`s already present in `directory` (empty if it does not
    /// exist). `ob-sandbox pki init` refuses to overwrite any of them without `--force`.
    public static func existingFiles(in directory: String) -> [String] {
        SandboxPKIFile.allCases
            .filter { SandboxFileSystem.exists(Self.path(of: $0, in: directory)) }
            .map(\.fileName)
    }

    /// The exact bytes `write(to:)` puts into `file`.
    public func contents(of file: SandboxPKIFile) throws -> String {
        switch file {
        case .rootCA: self.root.certificatePEM
        case .rootCAKey: self.root.privateKeyPEM
        case .issuingCA: self.issuingCA.certificatePEM
        case .issuingCAKey: self.issuingCA.privateKeyPEM
        case .server: self.server.certificatePEM
        case .serverChain: self.serverChainPEM
        case .serverKey: self.server.privateKeyPEM
        case .transport: self.transport.certificatePEM
        case .transportKey: self.transport.privateKeyPEM
        case .transportChain: self.transportChainPEM
        case .transportBundle: self.transportChainPEM + self.transport.privateKeyPEM
        case .obwacTransport: self.obwacTransport.certificatePEM
        case .obwacTransportKey: self.obwacTransport.privateKeyPEM
        case .signing: self.signing.certificatePEM
        case .signingKey: self.signing.privateKeyPEM
        case .asSigningKey: try PrivateKeyPEM.pkcs8(self.asSigningKey)
        case .directorySigning: self.directorySigning.certificatePEM
        case .directorySigningKey: self.directorySigning.privateKeyPEM
        case .expiredTransport: self.expiredTransport.certificatePEM
        case .expiredTransportKey: self.expiredTransport.privateKeyPEM
        case .notYetValidTransport: self.notYetValidTransport.certificatePEM
        case .notYetValidTransportKey: self.notYetValidTransport.privateKeyPEM
        case .wrongEKUTransport: self.wrongEKUTransport.certificatePEM
        case .wrongEKUTransportKey: self.wrongEKUTransport.privateKeyPEM
        case .otherRootCA: self.otherRoot.certificatePEM
        case .otherRootCAKey: self.otherRoot.privateKeyPEM
        case .otherCATransport: self.otherCATransport.certificatePEM
        case .otherCATransportKey: self.otherCATransport.privateKeyPEM
        case .readme: self.readme
        }
    }

    private static func path(of file: SandboxPKIFile, in directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(file.fileName).path
    }
}
