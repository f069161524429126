import SwiftASN1
import X509
import _CryptoExtras

extension CertificateProfile {
    /// The extensions this profile puts into a certificate for `subjectKey`, issued by a CA whose key
    /// identifier is `authorityKeyIdentifier` (nil only for self-signed roots without an SKI yet).
    func extensions(
        subjectKey: Certificate.PublicKey,
        authorityKeyIdentifier: ArraySlice<UInt8>
    ) throws -> Certificate.Extensions {
        let isRSA = _RSA.Signing.PublicKey(subjectKey) != nil
        switch self {
        case .custom(let extensions):
            return extensions
        case .intermediateCA(let pathLength):
            return try Self.standard(
                subjectKey: subjectKey,
                authorityKeyIdentifier: authorityKeyIdentifier,
                basicConstraints: .isCertificateAuthority(maxPathLength: pathLength),
                keyUsage: KeyUsage(keyCertSign: true, cRLSign: true),
                extendedKeyUsage: []
            )
        case .tlsServer(let dnsNames, let ipAddresses):
            var extensions = try Self.standard(
                subjectKey: subjectKey,
                authorityKeyIdentifier: authorityKeyIdentifier,
                basicConstraints: .notCertificateAuthority,
                keyUsage: KeyUsage(digitalSignature: true, keyEncipherment: isRSA),
                extendedKeyUsage: [.serverAuth]
            )
            let names = try ServerName.generalNames(dnsNames: dnsNames, ipAddresses: ipAddresses)
            if !names.isEmpty {
                try extensions.append(Certificate.Extension(SubjectAlternativeNames(names), critical: false))
            }
            return extensions
        case .tlsClient:
            return try Self.standard(
                subjectKey: subjectKey,
                authorityKeyIdentifier: authorityKeyIdentifier,
                basicConstraints: .notCertificateAuthority,
                keyUsage: KeyUsage(digitalSignature: true, keyEncipherment: isRSA),
                extendedKeyUsage: [.clientAuth]
            )
        case .signing:
            return try Self.standard(
                subjectKey: subjectKey,
                authorityKeyIdentifier: authorityKeyIdentifier,
                basicConstraints: .notCertificateAuthority,
                keyUsage: KeyUsage(digitalSignature: true, nonRepudiation: true),
                extendedKeyUsage: []
            )
        case .endEntity(let keyUsage, let extendedKeyUsage):
            return try Self.standard(
                subjectKey: subjectKey,
                authorityKeyIdentifier: authorityKeyIdentifier,
                basicConstraints: .notCertificateAuthority,
                keyUsage: keyUsage,
                extendedKeyUsage: extendedKeyUsage
            )
        }
    }

    /// The extensions of a self-signed root CA: CA true without a path length, keyCertSign + cRLSign,
    /// and SKI = AKI (RFC 5280 §4.2.1.1 allows omitting AKI on self-signed certificates; OpenSSL and
    /// the real OB roots include it, so do we).
    static func rootExtensions(subjectKey: Certificate.PublicKey) throws -> Certificate.Extensions {
        try Self.standard(
            subjectKey: subjectKey,
            authorityKeyIdentifier: SubjectKeyIdentifier(hash: subjectKey).keyIdentifier,
            basicConstraints: .isCertificateAuthority(maxPathLength: nil),
            keyUsage: KeyUsage(keyCertSign: true, cRLSign: true),
            extendedKeyUsage: []
        )
    }

    private static func standard(
        subjectKey: Certificate.PublicKey,
        authorityKeyIdentifier: ArraySlice<UInt8>,
        basicConstraints: BasicConstraints,
        keyUsage: KeyUsage,
        extendedKeyUsage: [ExtendedKeyUsage.Usage]
    ) throws -> Certificate.Extensions {
        var extensions = Certificate.Extensions()
        try extensions.append(Certificate.Extension(basicConstraints, critical: true))
        try extensions.append(Certificate.Extension(keyUsage, critical: true))
        if !extendedKeyUsage.isEmpty {
            // Non-critical, as the OB and web PKI certificates have it: a critical EKU is rejected by
            // every verifier whose policy does not claim the extension (see code-style habit 6).
            try extensions.append(Certificate.Extension(ExtendedKeyUsage(extendedKeyUsage), critical: false))
        }
        try extensions.append(
            Certificate.Extension(SubjectKeyIdentifier(hash: subjectKey), critical: false)
        )
        try extensions.append(
            Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier), critical: false)
        )
        return extensions
    }
}
