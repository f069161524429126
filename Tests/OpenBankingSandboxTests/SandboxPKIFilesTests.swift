import Foundation
import OpenBankingSandbox
import Testing
import X509

@Suite("Writing, reading back and openssl")
struct SandboxPKIFilesTests {
    static let expectedNames = [
        "root-ca.pem", "root-ca.key", "issuing-ca.pem", "issuing-ca.key", "server.pem", "server-chain.pem",
        "server.key", "tpp-transport.pem", "tpp-transport.key", "tpp-transport-chain.pem",
        "tpp-transport-bundle.pem", "tpp-obwac-transport.pem", "tpp-obwac-transport.key", "tpp-signing.pem",
        "tpp-signing.key", "as-signing.key", "directory-signing.pem", "directory-signing.key",
        "expired-transport.pem", "expired-transport.key", "not-yet-valid-transport.pem",
        "not-yet-valid-transport.key", "wrong-eku-transport.pem", "wrong-eku-transport.key", "other-root-ca.pem",
        "other-root-ca.key", "other-ca-transport.pem", "other-ca-transport.key", "README.txt",
    ]

    @Test("write produces exactly the documented files; keys 0600, certificates 0644")
    func fileNamesAndModes() throws {
        let pki = try TestSupport.fastPKI.get()
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try pki.write(to: directory + "/nested/pki")
        #expect(written == Self.expectedNames)
        let listed = try FileManager.default.contentsOfDirectory(atPath: directory + "/nested/pki")
        #expect(Set(listed) == Set(Self.expectedNames))
        for name in written {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/nested/pki/" + name)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
            let secret = name.hasSuffix(".key") || name == "tpp-transport-bundle.pem"
            #expect(mode == (secret ? 0o600 : 0o644), "\(name)")
        }
        #expect(SandboxPKI.existingFiles(in: directory + "/nested/pki") == Self.expectedNames)
        #expect(SandboxPKI.existingFiles(in: directory + "/absent").isEmpty)
    }

    @Test("rewriting tightens a key file that was world-readable")
    func rewriteTightensMode() throws {
        let pki = try TestSupport.fastPKI.get()
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keyPath = directory + "/server.key"
        _ = FileManager.default.createFile(atPath: keyPath, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644])
        try pki.write(to: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) == pki.server.privateKeyPEM)
    }

    @Test("files parse back; chains, bundle and README have the right content")
    func contents() throws {
        let pki = try TestSupport.fastPKI.get()
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try pki.write(to: directory)
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }
        #expect(try Certificate(pemEncoded: read("server.pem")) == pki.server.certificate)
        #expect(try Certificate(pemEncoded: read("tpp-transport.pem")) == pki.transport.certificate)
        #expect(try read("server-chain.pem") == pki.server.certificatePEM + pki.issuingCA.certificatePEM)
        #expect(try read("tpp-transport-chain.pem") == pki.transport.certificatePEM + pki.issuingCA.certificatePEM)
        #expect(try read("tpp-transport-bundle.pem") == pki.transportChainPEM + pki.transport.privateKeyPEM)
        for name in Self.expectedNames where name.hasSuffix(".key") {
            let pem = try read(name)
            #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"), "\(name)")
            _ = try Certificate.PrivateKey(pemEncoded: pem)
        }
        #expect(try Certificate(derEncoded: pki.transport.derBytes) == pki.transport.certificate)
        let readme = try read("README.txt")
        for name in Self.expectedNames {
            #expect(readme.contains("\n" + name + " "), "\(name)")
        }
        #expect(readme.contains("subject CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB"))
    }

    @Test("openssl reads every certificate and key, and sees the DER order C,O,OU,CN")
    func openssl() throws {
        let pki = try TestSupport.fastPKI.get()
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let names = try pki.write(to: directory)
        for name in names where name.hasSuffix(".pem") {
            let result = try TestSupport.openssl(["x509", "-noout", "-subject", "-in", directory + "/" + name])
            #expect(result.status == 0, "\(name)")
        }
        for name in names where name.hasSuffix(".key") || name == "tpp-transport-bundle.pem" {
            let result = try TestSupport.openssl(["pkey", "-in", directory + "/" + name, "-noout"])
            #expect(result.status == 0, "\(name)")
        }
        let subject = try TestSupport.openssl(["x509", "-noout", "-subject", "-in", directory + "/tpp-transport.pem"])
        #expect(subject.output == "subject=C = GB, O = OpenBanking, OU = 0015800001041REAAY, CN = 2ZVHy1MEB0Ar8ov2lgcsMM\n")
        let verify = try TestSupport.openssl([
            "verify", "-CAfile", directory + "/root-ca.pem", "-untrusted", directory + "/issuing-ca.pem",
            "-purpose", "sslclient", directory + "/tpp-transport.pem",
        ])
        #expect(verify.status == 0)
    }

    @Test("load(from:) round-trips everything")
    func loadRoundTrip() throws {
        let pki = try TestSupport.fastPKI.get()
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try pki.write(to: directory)
        let loaded = try SandboxPKI.load(from: directory)
        let pairs: [(IssuedCertificate, IssuedCertificate)] = [
            (loaded.root, pki.root), (loaded.issuingCA, pki.issuingCA), (loaded.server, pki.server),
            (loaded.transport, pki.transport), (loaded.obwacTransport, pki.obwacTransport),
            (loaded.signing, pki.signing), (loaded.directorySigning, pki.directorySigning),
            (loaded.expiredTransport, pki.expiredTransport), (loaded.notYetValidTransport, pki.notYetValidTransport),
            (loaded.wrongEKUTransport, pki.wrongEKUTransport), (loaded.otherRoot, pki.otherRoot),
            (loaded.otherCATransport, pki.otherCATransport),
        ]
        for (actual, expected) in pairs {
            #expect(actual.certificate == expected.certificate)
            #expect(actual.privateKey == expected.privateKey)
            #expect(actual.privateKeyPEM == expected.privateKeyPEM)
        }
        #expect(loaded.asSigningKey == pki.asSigningKey)
    }

    @Test("load(from:) names a missing or mismatched file")
    func loadFailures() throws {
        let pki = try TestSupport.fastPKI.get()
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try pki.write(to: directory)
        try FileManager.default.removeItem(atPath: directory + "/tpp-signing.key")
        #expect(throws: SandboxPKIError.missingFile(path: directory + "/tpp-signing.key")) {
            try SandboxPKI.load(from: directory)
        }
        try pki.server.privateKeyPEM.write(toFile: directory + "/tpp-signing.key", atomically: true, encoding: .utf8)
        #expect { try SandboxPKI.load(from: directory) } throws: { ($0 as? SandboxPKIError)?.code == "malformed_file" }
    }
}
