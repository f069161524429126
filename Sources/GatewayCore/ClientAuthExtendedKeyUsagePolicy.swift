import SwiftASN1
import X509

/// Requires the leaf to be usable for TLS client authentication (RFC 5280 §4.2.1.12).
///
/// Why: a server or signing certificate from the same Open Banking CA must not authenticate a TPP
/// connection. A leaf without the extension is accepted (RFC 5280: absence means any purpose),
/// one that has it must list `id-kp-clientAuth` or `anyExtendedKeyUsage`. swift-certificates'
/// built-in policies do not claim the extension, so a *critical* EKU would fail every client unless
/// this policy claims it — which it may, because it enforces it.
public struct ClientAuthExtendedKeyUsagePolicy: VerifierPolicy, Sendable {
    static let failureMarker = "leaf lacks the clientAuth extended key usage"

    /// Creates the policy.
    public init() {}

    /// The extension this policy understands and enforces.
    public let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    /// Checks the leaf's EKU.
    public func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let usage: ExtendedKeyUsage?
        do {
            usage = try chain.leaf.extensions.extendedKeyUsage
        } catch {
            return .failsToMeetPolicy(reason: "malformed extendedKeyUsage extension")
        }
        guard let usage else { return .meetsPolicy }
        if usage.contains(.clientAuth) || usage.contains(.any) { return .meetsPolicy }
        return .failsToMeetPolicy(reason: Self.failureMarker)
    }
}

/// Bounds the validated path length (`max_chain_depth`: certificates in the path, leaf and anchor included).
///
/// Why: Open Banking paths are three long (leaf → issuing CA → root); a bound stops a client from
/// making the verifier build long paths and documents what the operator expects.
public struct ChainDepthPolicy: VerifierPolicy, Sendable {
    static let failureMarker = "chain longer than max_chain_depth"

    /// The largest number of certificates allowed in the path.
    public let maxChainDepth: Int

    /// Creates the policy.
    public init(maxChainDepth: Int) {
        self.maxChainDepth = maxChainDepth
    }

    /// This policy handles no extension.
    public let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []

    /// Checks the path length.
    public func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        chain.count <= self.maxChainDepth ? .meetsPolicy : .failsToMeetPolicy(reason: Self.failureMarker)
    }
}
