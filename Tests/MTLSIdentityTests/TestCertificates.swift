import Crypto
import Foundation
import SwiftASN1
import X509

/// Test PKI built at run time (no committed keys), plus a runner for the real `openssl` binary.
enum TestCertificates {
    struct Issued {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
        var der: [UInt8] {
            var serializer = DER.Serializer()
            // Serialising a certificate we just built cannot fail.
            try! serializer.serialize(self.certificate)
            return serializer.serializedBytes
        }
    }

    static func utf8(_ type: ASN1ObjectIdentifier, _ value: String) -> RelativeDistinguishedName.Attribute {
        .init(type: type, utf8String: value)
    }

    static func printable(_ type: ASN1ObjectIdentifier, _ value: String) -> RelativeDistinguishedName.Attribute {
        try! .init(type: type, printableString: value)
    }

    static func ia5(_ type: ASN1ObjectIdentifier, _ value: String) -> RelativeDistinguishedName.Attribute {
        try! .init(type: type, ia5String: value)
    }

    /// An attribute with an arbitrary primitive universal tag and raw content bytes.
    static func raw(_ type: ASN1ObjectIdentifier, tag: UInt8, _ content: [UInt8]) -> RelativeDistinguishedName.Attribute {
        precondition(content.count < 128)
        let node = try! DER.parse([tag, UInt8(content.count)] + content)
        return .init(type: type, value: ASN1Any(derEncoded: node))
    }

    /// A DN from RDNs given most significant first (DER order), each RDN one or more attributes.
    static func name(_ rdns: [[RelativeDistinguishedName.Attribute]]) -> DistinguishedName {
        DistinguishedName(rdns.map { RelativeDistinguishedName($0) })
    }

    static func issue(
        subject: DistinguishedName,
        issuer: Issued? = nil,
        serial: Certificate.SerialNumber = .init(),
        alternativeNames: [GeneralName] = [],
        isCA: Bool = false
    ) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        var extensions = Certificate.Extensions()
        if !alternativeNames.isEmpty {
            try extensions.append(Certificate.Extension(SubjectAlternativeNames(alternativeNames), critical: false))
        }
        if isCA {
            try extensions.append(Certificate.Extension(BasicConstraints.isCertificateAuthority(maxPathLength: nil), critical: true))
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: serial,
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-60),
            notValidAfter: now.addingTimeInterval(3600),
            issuer: issuer?.certificate.subject ?? subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: .init(issuer?.key ?? key)
        )
        return Issued(certificate: certificate, key: key)
    }

    /// Root → intermediate → leaf, returned leaf first.
    static func chain(leafSubject: DistinguishedName) throws -> [Issued] {
        let root = try Self.issue(subject: Self.name([[Self.printable(.RDNAttributeType.commonName, "Test Root")]]), isCA: true)
        let intermediate = try Self.issue(
            subject: Self.name([[Self.printable(.RDNAttributeType.commonName, "Test Issuing CA")]]),
            issuer: root,
            isCA: true
        )
        let leaf = try Self.issue(subject: leafSubject, issuer: intermediate)
        return [leaf, intermediate, root]
    }

    /// Runs `openssl x509 -inform DER -in <der> <arguments>` and returns its standard output.
    static func openssl(_ der: [UInt8], _ arguments: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mtls-identity-\(UUID().uuidString).der")
        try Data(der).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-inform", "DER", "-in", file.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The value of `key=` in OpenSSL's output (first matching line, key compared case-insensitively
    /// because OpenSSL 1.1 and 3 differ, e.g. `SHA256 Fingerprint` / `sha256 Fingerprint`).
    static func field(_ key: String, in output: String) -> String? {
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) where line.lowercased().hasPrefix(key.lowercased() + "=") {
            return String(line.dropFirst(key.count + 1))
        }
        return nil
    }
}
