import Foundation
import RegistrationCore
import X509

extension SandboxDirectory {
    /// The file the directory JWKS is written to inside a PKI directory; the authorization
    /// server's `[[directory]] jwks = "pki/directory.jwks"` reads it.
    public static let jwksFileName = "directory.jwks"
    /// The folder, inside a PKI directory, holding certificates published by `pki sign`:
    /// `software/<org_id>/<software_id>/<use>-<kid>.pem`.
    public static let publishedFolderName = "software"

    /// Writes ``directoryJWKS()`` (pretty-printed JSON) to `<pkiDirectory>/directory.jwks`.
    ///
    /// - Returns: the path written.
    @discardableResult
    public func writeDirectoryJWKS(pkiDirectory: String) throws -> String {
        let path = Self.join(pkiDirectory, Self.jwksFileName)
        let text = String(decoding: try self.directoryJWKS().serializedBytes(), as: UTF8.self) + "\n"
        try SandboxFileSystem.write(text, to: path, mode: SandboxFileSystem.publicMode)
        return path
    }

    /// Stores a published certificate under `pkiDirectory` so that ``addingPublished(fromPKIDirectory:)``
    /// (and therefore a running `directory serve`) serves it.
    ///
    /// - Returns: the path written.
    @discardableResult
    public static func storePublished(
        _ certificate: PublishedCertificate,
        orgID: String,
        softwareID: String,
        pkiDirectory: String
    ) throws -> String {
        guard SoftwareRecord.isValidID(orgID) else {
            throw SandboxDirectoryError.invalidID(name: "org id", value: orgID)
        }
        guard SoftwareRecord.isValidID(softwareID) else {
            throw SandboxDirectoryError.invalidID(name: "software id", value: softwareID)
        }
        let folder = Self.join(pkiDirectory, Self.publishedFolderName, orgID, softwareID)
        try SandboxFileSystem.createDirectory(folder)
        let path = Self.join(folder, "\(certificate.use.rawValue)-\(try certificate.keyID()).pem")
        let pem = try certificate.certificate.serializeAsPEM().pemString
        try SandboxFileSystem.write(pem.hasSuffix("\n") ? pem : pem + "\n", to: path, mode: SandboxFileSystem.publicMode)
        return path
    }

    /// This directory plus every certificate stored by ``storePublished(_:orgID:softwareID:pkiDirectory:)``
    /// under `pkiDirectory` (each with `chain` after it in `x5c`). Files that are not
    /// `<sig|tls>-<kid>.pem` certificates are skipped.
    ///
    /// - Throws: ``SandboxDirectoryError/file(path:reason:)`` when a stored certificate cannot be parsed.
    public func addingPublished(fromPKIDirectory pkiDirectory: String, chain: [Certificate]? = nil) throws
        -> SandboxDirectory
    {
        var directory = self
        let chain = chain ?? self.signingChain
        let root = Self.join(pkiDirectory, Self.publishedFolderName)
        let manager = FileManager.default
        for orgID in Self.sortedEntries(root) where SoftwareRecord.isValidID(orgID) {
            let orgFolder = Self.join(root, orgID)
            for softwareID in Self.sortedEntries(orgFolder) where SoftwareRecord.isValidID(softwareID) {
                let folder = Self.join(orgFolder, softwareID)
                for name in Self.sortedEntries(folder) where name.hasSuffix(".pem") {
                    guard let use = PublishedCertificate.Use.allCases.first(where: { name.hasPrefix($0.rawValue + "-") })
                    else { continue }
                    let path = Self.join(folder, name)
                    guard let data = manager.contents(atPath: path),
                        let certificate = try? Certificate(pemEncoded: String(decoding: data, as: UTF8.self))
                    else {
                        throw SandboxDirectoryError.file(path: path, reason: "it is not one PEM certificate")
                    }
                    try directory.publish(
                        PublishedCertificate(certificate: certificate, chain: chain, use: use),
                        orgID: orgID,
                        softwareID: softwareID
                    )
                }
            }
        }
        return directory
    }

    /// Loads the directory of the PKI written by `ob-sandbox pki init` in `pkiDirectory`, with the
    /// certificates published there since.
    public static func load(pkiDirectory: String) throws -> SandboxDirectory {
        try SandboxDirectory(pki: SandboxPKI.load(from: pkiDirectory)).addingPublished(fromPKIDirectory: pkiDirectory)
    }

    private static func sortedEntries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    static func join(_ first: String, _ rest: String...) -> String {
        rest.reduce(URL(fileURLWithPath: first)) { $0.appendingPathComponent($1) }.path
    }
}
