import Foundation
import RegistrationCore
import SwiftASN1
import X509

/// What a TPP client presents and trusts: its transport certificate chain and key (the MTLS client
/// identity) and the roots that issued the gateway's certificate.
public struct TPPCredentials: Sendable {
    /// The transport certificate first, then any intermediates to send with it.
    public let transportChain: [Certificate]
    /// The transport certificate's private key.
    public let transportKey: Certificate.PrivateKey
    /// The roots the gateway's server certificate must chain to (the sandbox root).
    public let trustRoots: [Certificate]

    /// Credentials from their parts.
    ///
    /// - Throws: ``TPPClientError/keyDoesNotMatchCertificate(keyPath:certificatePath:)`` when the key
    ///   is not the leaf's, ``TPPClientError/invalidOption(name:reason:)`` when a list is empty.
    public init(transportChain: [Certificate], transportKey: Certificate.PrivateKey, trustRoots: [Certificate])
        throws(TPPClientError)
    {
        guard let leaf = transportChain.first else {
            throw .invalidOption(name: "transport certificate", reason: "no certificate was given")
        }
        guard !trustRoots.isEmpty else {
            throw .invalidOption(name: "CA", reason: "no trusted root certificate was given")
        }
        guard leaf.publicKey == transportKey.publicKey else {
            throw .keyDoesNotMatchCertificate(keyPath: "(transport key)", certificatePath: "(transport certificate)")
        }
        self.transportChain = transportChain
        self.transportKey = transportKey
        self.trustRoots = trustRoots
    }

    /// Loads PEM files: the transport certificate (one or more `CERTIFICATE` blocks, leaf first),
    /// its key (the first `PRIVATE KEY` block: PKCS#8, PKCS#1 or SEC1; a bundle file works), and
    /// the CA file (one or more certificates).
    ///
    /// - Throws: ``TPPClientError`` naming the file.
    public static func load(transportCertificate: String, transportKey: String, caFile: String) throws(TPPClientError)
        -> TPPCredentials
    {
        let chain = try Self.certificates(transportCertificate, what: "transport certificate")
        let key = try Self.privateKey(transportKey, what: "transport key")
        let roots = try Self.certificates(caFile, what: "CA")
        guard chain[0].publicKey == key.publicKey else {
            throw .keyDoesNotMatchCertificate(keyPath: transportKey, certificatePath: transportCertificate)
        }
        return try TPPCredentials(transportChain: chain, transportKey: key, trustRoots: roots)
    }

    /// A PS256 (RSA) or ES256 (P-256) signer for the private key in `path`, announcing `keyID`
    /// or, by default, the RFC 7638 thumbprint under which the sandbox directory publishes it.
    public static func signer(signingKey path: String, keyID: String? = nil) throws(TPPClientError) -> JWSSigner {
        let key = try Self.privateKey(path, what: "signing key")
        do {
            return try JWSKeyConversion.signer(key, keyID: keyID)
        } catch {
            throw .unreadableFile(path: path, what: "signing key", reason: "it is neither an RSA nor a P-256 key")
        }
    }

    /// The SSA in `path` (a compact JWS, surrounding whitespace removed).
    public static func softwareStatement(_ path: String) throws(TPPClientError) -> String {
        let text = try Self.text(path, what: "software statement").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.split(separator: ".", omittingEmptySubsequences: false).count == 3 else {
            throw .unreadableFile(path: path, what: "software statement", reason: "it is not a compact JWS (three dot-separated parts)")
        }
        return text
    }

    /// The contents of a UTF-8 file.
    static func text(_ path: String, what: String) throws(TPPClientError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .missingFile(path: path, what: what)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, what: what, reason: "it cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every `CERTIFICATE` block of a PEM file (at least one).
    static func certificates(_ path: String, what: String) throws(TPPClientError) -> [Certificate] {
        let documents = try Self.pemDocuments(path, what: what)
        var certificates: [Certificate] = []
        for document in documents where document.discriminator == "CERTIFICATE" {
            guard let certificate = try? Certificate(derEncoded: document.derBytes) else {
                throw .unreadableFile(path: path, what: what, reason: "a CERTIFICATE block does not parse")
            }
            certificates.append(certificate)
        }
        guard !certificates.isEmpty else {
            throw .unreadableFile(path: path, what: what, reason: "it holds no PEM certificate")
        }
        return certificates
    }

    /// The first private key block of a PEM file.
    static func privateKey(_ path: String, what: String) throws(TPPClientError) -> Certificate.PrivateKey {
        let documents = try Self.pemDocuments(path, what: what)
        guard let document = documents.first(where: { $0.discriminator.hasSuffix("PRIVATE KEY") }) else {
            throw .unreadableFile(path: path, what: what, reason: "it holds no PEM private key")
        }
        guard let key = try? Certificate.PrivateKey(pemEncoded: document.pemString) else {
            throw .unreadableFile(path: path, what: what, reason: "the \(document.discriminator) block does not parse")
        }
        return key
    }

    private static func pemDocuments(_ path: String, what: String) throws(TPPClientError) -> [PEMDocument] {
        let text = try Self.text(path, what: what)
        guard let documents = try? PEMDocument.parseMultiple(pemString: text), !documents.isEmpty else {
            throw .unreadableFile(path: path, what: what, reason: "it is not PEM")
        }
        return documents
    }
}
