import GatewayCore
import NIOCore
import NIOSSL
import X509

/// Bridges NIOSSL's custom verification callback to our `ClientCertificateValidator`.
enum ClientVerification {
    /// The callback for one connection: validates what the client presented and records the
    /// validated path (or the failure reason) in the connection's TLS state.
    ///
    /// Why custom: BoringSSL's own verification knows nothing of our EKU and depth policies and
    /// gives no validated path as swift-certificates values; identity must come from that path.
    static func callback(
        validator: ClientCertificateValidator,
        state: ConnectionTLSState
    ) -> NIOSSLCustomVerificationCallbackWithMetadata {
        { certificates, promise in
            let presented: [Certificate]
            do {
                presented = try certificates.map { try Certificate(derEncoded: $0.toDERBytes()) }
            } catch {
                state.record(.invalid(.unparseable))
                promise.succeed(.failed)
                return
            }
            Task {
                let result = await validator.validate(presented: presented)
                state.record(result)
                switch result {
                case .valid:
                    promise.succeed(.certificateVerified(VerificationMetadata(nil)))
                case .invalid:
                    promise.succeed(.failed)
                }
            }
        }
    }

    /// Maps a BoringSSL handshake error to a stable reason when our validator did not run (no
    /// certificate, protocol mismatch, plain HTTP on a TLS port, …). Error text never leaves the log.
    static func reason(for error: any Error, state: ConnectionTLSState) -> String {
        if let failure = state.failure { return failure.rawValue }
        let text = String(describing: error)
        let table: [(String, String)] = [
            ("PEER_DID_NOT_RETURN_A_CERTIFICATE", ClientCertificateFailure.noCertificate.rawValue),
            ("CERTIFICATE_VERIFY_FAILED", "certificate_verify_failed"),
            ("HTTP_REQUEST", "plain_http_on_tls_port"),
            ("WRONG_VERSION_NUMBER", "not_tls"),
            ("UNSUPPORTED_PROTOCOL", "unsupported_protocol_version"),
            ("NO_SHARED_CIPHER", "no_shared_cipher"),
            ("TLSV1_ALERT", "client_alert"),
            ("SSLV3_ALERT", "client_alert"),
        ]
        for (marker, reason) in table where text.contains(marker) {
            return reason
        }
        if let error = error as? NIOSSLError, case .uncleanShutdown = error { return "connection_closed_during_handshake" }
        return "handshake_failed"
    }
}
