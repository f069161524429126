#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// Why a TPP client operation failed, as one sentence a newcomer can act on.
///
/// Why classified: the raw errors of NIO and AsyncHTTPClient (`NIOConnectionError`,
/// `handshakeFailed(sslError([...]))`) say what the socket saw, not what to do. Each case here
/// names the file, URL or option involved and the usual fix.
public enum TPPClientError: Error, Sendable, Hashable {
    /// A file given on the command line does not exist.
    case missingFile(path: String, what: String)
    /// A file exists but does not hold what was expected.
    case unreadableFile(path: String, what: String, reason: String)
    /// The transport private key does not belong to the transport certificate.
    case keyDoesNotMatchCertificate(keyPath: String, certificatePath: String)
    /// The gateway URL is not an https URL with a host.
    case invalidGatewayURL(String)
    /// The SSA is not a readable software statement.
    case invalidSoftwareStatement(String)
    /// An option value is not acceptable.
    case invalidOption(name: String, reason: String)
    /// Nothing listens at the gateway's address.
    case connectionRefused(url: String)
    /// The gateway's host name does not resolve.
    case hostNotFound(host: String)
    /// The gateway did not answer in time.
    case timedOut(url: String)
    /// The TLS handshake failed (untrusted server certificate, client certificate refused, …).
    case tlsFailure(url: String, reason: String)
    /// Any other transport failure.
    case requestFailed(url: String, reason: String)
    /// Signing a JWT failed.
    case signingFailed

    /// A stable code for tests and logs.
    public var code: String {
        switch self {
        case .missingFile: "missing_file"
        case .unreadableFile: "unreadable_file"
        case .keyDoesNotMatchCertificate: "key_mismatch"
        case .invalidGatewayURL: "invalid_gateway_url"
        case .invalidSoftwareStatement: "invalid_software_statement"
        case .invalidOption: "invalid_option"
        case .connectionRefused: "connection_refused"
        case .hostNotFound: "host_not_found"
        case .timedOut: "timed_out"
        case .tlsFailure: "tls_failure"
        case .requestFailed: "request_failed"
        case .signingFailed: "signing_failed"
        }
    }

    /// Classifies an error thrown by AsyncHTTPClient for a request to `url`.
    static func classify(_ error: any Error, url: String, host: String) -> TPPClientError {
        if let error = error as? TPPClientError {
            return error
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return .hostNotFound(host: host)
            }
            if error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return .connectionRefused(url: url)
            }
            return .requestFailed(url: url, reason: "\(error)")
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return .connectionRefused(url: url)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return .timedOut(url: url)
            case .remoteConnectionClosed:
                return .tlsFailure(url: url, reason: "the gateway closed the connection (often: it refused the client certificate)")
            default:
                return .requestFailed(url: url, reason: "\(error)")
            }
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .handshakeFailed(let underlying):
                return .tlsFailure(url: url, reason: Self.tlsReason("\(underlying)"))
            default:
                return .tlsFailure(url: url, reason: Self.tlsReason("\(error)"))
            }
        }
        if error is BoringSSLError || error is NIOSSLExtraError {
            return .tlsFailure(url: url, reason: Self.tlsReason("\(error)"))
        }
        return .requestFailed(url: url, reason: "\(error)")
    }

    /// A sentence for a BoringSSL error: the OpenSSL reason code (`CERTIFICATE_VERIFY_FAILED`,
    /// `SSLV3_ALERT_CERTIFICATE_UNKNOWN`, …) with what it usually means.
    static func tlsReason(_ text: String) -> String {
        var code = text
        if let marker = text.range(of: "OPENSSL_internal:") {
            code = String(text[marker.upperBound...].prefix { $0 != " " && $0 != "]" && $0 != ")" })
        }
        if code.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the gateway's certificate is not trusted by --ca (\(code))"
        }
        if code.contains("ALERT") {
            return "the gateway refused the client certificate (\(code)); check that --transport-cert was issued by a CA the gateway trusts and is valid"
        }
        return code
    }
}

extension TPPClientError: CustomStringConvertible {
    /// One sentence for the command line.
    public var description: String {
        switch self {
        case .missingFile(let path, let what) where what == "software statement":
            "The \(what) file \(path) does not exist (make one with `ob-sandbox ssa create --out \(path)`)."
        case .missingFile(let path, let what):
            "The \(what) file \(path) does not exist (run `ob-sandbox pki init --out pki` to make a sandbox PKI)."
        case .unreadableFile(let path, let what, let reason):
            "The \(what) file \(path) is not usable: \(reason)."
        case .keyDoesNotMatchCertificate(let keyPath, let certificatePath):
            "The transport key \(keyPath) does not belong to the transport certificate \(certificatePath)."
        case .invalidGatewayURL(let url):
            "The gateway URL '\(url)' must be an https URL such as https://localhost:8443."
        case .invalidSoftwareStatement(let reason):
            "The software statement is not usable: \(reason)."
        case .invalidOption(let name, let reason):
            "Invalid \(name): \(reason)."
        case .connectionRefused(let url):
            "Could not connect to \(url): connection refused; is the gateway running (`mtls-gateway run` or `ob-sandbox up`)?"
        case .hostNotFound(let host):
            "The host name \(host) does not resolve; check --gateway."
        case .timedOut(let url):
            "The request to \(url) timed out; is the gateway (and the authorization server behind it) running?"
        case .tlsFailure(let url, let reason):
            "The TLS connection to \(url) failed: \(reason)."
        case .requestFailed(let url, let reason):
            "The request to \(url) failed: \(reason)."
        case .signingFailed:
            "Signing the JWT with the signing key failed."
        }
    }
}
