import NIOSSL
import X509

/// Converts swift-certificates values into the NIOSSL types TLS configurations take.
enum NIOSSLConversion {
    /// The NIOSSL certificate of `certificate` (through DER).
    static func certificate(_ certificate: Certificate) throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: JWKThumbprint.der(certificate), format: .der)
    }

    /// The NIOSSL private key of `key` (through PKCS#8 PEM, which BoringSSL reads for RSA and EC).
    static func privateKey(_ key: Certificate.PrivateKey) throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(bytes: Array(PrivateKeyPEM.pkcs8(key).utf8), format: .pem)
    }
}
