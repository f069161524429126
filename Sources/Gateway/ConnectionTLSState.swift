import GatewayCore
import Synchronization
import X509

/// What the TLS layer learned about one downstream connection, shared between the verification
/// callback (which completes on another thread) and the connection's handlers.
///
/// Why a separate box: the custom verification callback is the only place the *validated* path is
/// known as swift-certificates values; keeping it here avoids converting NIOSSL's copy back, and
/// keeps the failure reason for the handshake-failure log line.
final class ConnectionTLSState: Sendable {
    private struct State {
        var sni: String?
        var validatedChain: [Certificate]?
        var failure: ClientCertificateFailure?
    }

    private let state = Mutex(State())

    init() {}

    /// The server name the client asked for, if any.
    var sni: String? {
        get { self.state.withLock { $0.sni } }
        set { self.state.withLock { $0.sni = newValue } }
    }

    /// Records the outcome of the verification callback.
    func record(_ validation: ClientCertificateValidation) {
        self.state.withLock {
            switch validation {
            case .valid(let chain): $0.validatedChain = chain
            case .invalid(let reason): $0.failure = reason
            }
        }
    }

    /// The validated path (leaf first) when the callback ran and accepted the chain, handed over once: the connection keeps only what it derives from it
    /// (`ConnectionIdentity`), so the parsed certificates are not held for the connection's life.
    func takeValidatedChain() -> [Certificate]? {
        self.state.withLock { state in
            defer { state.validatedChain = nil }
            return state.validatedChain
        }
    }

    /// Why the callback refused the chain, when it did.
    var failure: ClientCertificateFailure? { self.state.withLock { $0.failure } }
}
