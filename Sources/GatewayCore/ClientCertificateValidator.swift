import Foundation
import SwiftASN1
// The SPI is swift-certificates' supported way to validate expiry at an injected time (tests
// pin the clock to check expired and not-yet-valid certificates).
@_spi(FixedExpiryValidationTime) import X509

/// Validates a downstream client's certificate chain against a listener's trust configuration.
///
/// Why our own wrapper around swift-certificates' `Verifier`: the handshake needs a stable, loggable
/// failure reason (operators alert on `certificate_expired` vs `unknown_ca`), the clock must be
/// injectable for tests, and the same validation must run again for resumed TLS sessions, where
/// BoringSSL skips the verification callback (see `ClientCertificateValidation`).
public struct ClientCertificateValidator: Sendable {
    /// The trust anchors (`trust_roots`).
    public let trustRoots: [Certificate]
    /// Certificates usable for path building when a client omits its issuing CA (`intermediates`).
    public let intermediates: [Certificate]
    /// Certificates in the path, leaf and anchor included (`max_chain_depth`).
    public let maxChainDepth: Int
    /// The clock; tests pin it.
    public let now: @Sendable () -> Date

    private let rootStore: CertificateStore

    /// Creates a validator for one listener.
    public init(
        trustRoots: [Certificate],
        intermediates: [Certificate],
        maxChainDepth: Int,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.trustRoots = trustRoots
        self.intermediates = intermediates
        self.maxChainDepth = maxChainDepth
        self.now = now
        self.rootStore = CertificateStore(trustRoots)
    }

    /// Validates the chain a client presented (leaf first; the rest in any order, possibly empty).
    ///
    /// The configured intermediates join the presented ones for path building only; they are
    /// never trust anchors. The result's chain runs leaf → … → trust anchor.
    public func validate(presented: [Certificate]) async -> ClientCertificateValidation {
        guard let leaf = presented.first else { return .invalid(.noCertificate) }
        let validationTime = self.now()
        var verifier = Verifier(rootCertificates: self.rootStore) {
            RFC5280Policy(fixedExpiryValidationTime: validationTime)
            ClientAuthExtendedKeyUsagePolicy()
            ChainDepthPolicy(maxChainDepth: self.maxChainDepth)
        }
        let pool = CertificateStore(presented.dropFirst()).appending(contentsOf: self.intermediates)
        switch await verifier.validate(leaf: leaf, intermediates: pool) {
        case .validCertificate(let chain):
            return .valid(Array(chain))
        case .couldNotValidate(let failures):
            return .invalid(Self.classify(leaf: leaf, failures: failures, at: validationTime))
        }
    }

    /// Turns swift-certificates' failure list into one stable reason, most specific first.
    static func classify(
        leaf: Certificate,
        failures: [CertificateValidationResult.PolicyFailure],
        at time: Date
    ) -> ClientCertificateFailure {
        if leaf.notValidAfter < time { return .expired }
        if leaf.notValidBefore > time { return .notYetValid }
        if failures.isEmpty {
            // No candidate path reached a trust anchor (or the leaf carries a critical extension
            // nobody handles, which the Verifier reports the same way).
            if leaf.hasUnhandledCriticalExtension { return .unhandledCriticalExtension }
            return .unknownIssuer
        }
        let reasons = failures.map { String(describing: $0.policyFailureReason) }
        if reasons.contains(where: { $0.contains(ClientAuthExtendedKeyUsagePolicy.failureMarker) }) {
            return .wrongExtendedKeyUsage
        }
        if reasons.contains(where: { $0.contains(ChainDepthPolicy.failureMarker) }) {
            return .chainTooLong
        }
        if reasons.contains(where: { $0.localizedCaseInsensitiveContains("expired") || $0.contains("notValidAfter") }) {
            return .issuerExpired
        }
        return .policyFailure
    }
}

/// What validating a client chain found.
public enum ClientCertificateValidation: Sendable {
    /// The validated path, leaf first, trust anchor last: the only thing identity is read from.
    case valid([Certificate])
    /// Why the chain was refused.
    case invalid(ClientCertificateFailure)
}

/// A stable reason for refusing a client certificate (logged as `reason` of `tls_handshake_failed`).
public enum ClientCertificateFailure: String, Sendable, Hashable, CaseIterable {
    case noCertificate = "no_certificate"
    case expired = "certificate_expired"
    case notYetValid = "certificate_not_yet_valid"
    case unknownIssuer = "unknown_ca"
    case wrongExtendedKeyUsage = "wrong_extended_key_usage"
    case chainTooLong = "chain_too_long"
    case issuerExpired = "issuer_expired"
    case unhandledCriticalExtension = "unhandled_critical_extension"
    case policyFailure = "certificate_policy_failure"
    case unparseable = "certificate_unparseable"
}

extension Certificate {
    /// Whether a critical extension is present that none of our policies claims.
    fileprivate var hasUnhandledCriticalExtension: Bool {
        let handled: Set<ASN1ObjectIdentifier> = [
            .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage,
            .X509ExtensionID.extendedKeyUsage, .X509ExtensionID.subjectAlternativeName,
            .X509ExtensionID.nameConstraints,
        ]
        return self.extensions.contains { $0.critical && !handled.contains($0.oid) }
    }
}
