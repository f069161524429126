import GatewayCore
import NIOSSL

/// Builds the NIOSSL contexts a configuration needs, once at start-up.
///
/// Why once: a context holds the parsed key and certificates; building one per connection would
/// cost more than the handshake. Verification itself is not done by BoringSSL but by our
/// `ClientCertificateValidator` through the custom verification callback, so the trust roots here
/// only feed the CA name list sent in CertificateRequest (it helps clients pick the right certificate).
enum TLSContextFactory {
    /// The server context for one listener.
    static func serverContext(for listener: ListenerConfiguration) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(listener.certificateChainPath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: listener.privateKeyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = listener.tlsMinimumVersion == .tls13 ? .tlsv13 : .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        switch listener.clientCertificate {
        case .required:
            configuration.certificateVerification = .noHostnameVerification
        case .optional:
            configuration.certificateVerification = .optionalVerification
        case .none:
            configuration.certificateVerification = .none
        }
        if listener.clientCertificate != .none {
            let roots = try listener.trustRoots.map { try NIOSSLCertificate(bytes: $0.derBytes(), format: .der) }
            configuration.trustRoots = .certificates(roots)
            configuration.sendCANameList = true
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The client context for an upstream with `[upstream.tls]` (nil for plain HTTP upstreams).
    static func upstreamContext(for upstream: UpstreamConfiguration) throws -> NIOSSLContext? {
        guard upstream.servers.contains(where: { $0.scheme == .https }) else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let tls = upstream.tls {
            if !tls.trustRoots.isEmpty {
                let roots = try tls.trustRoots.map { try NIOSSLCertificate(bytes: $0.derBytes(), format: .der) }
                configuration.trustRoots = .certificates(roots)
            }
            if let chainPath = tls.certificateChainPath, let keyPath = tls.privateKeyPath {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(chainPath).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
            }
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
