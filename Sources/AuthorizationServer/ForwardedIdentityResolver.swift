import Foundation
import GatewayCore
import Hummingbird
import Logging
import MTLSIdentity
import NIOCore
import SwiftASN1
import X509

/// Turns a request's identity headers into a verified ``ForwardedIdentity``.
///
/// Why verify again behind the gateway: the gateway may trust other CAs for other routes; the
/// authorization server must only register and authenticate certificates that chain to the Open
/// Banking roots (`transport_trust_roots`, open-banking.md §8: "any valid certificate accepted at
/// /register"). Validation is RFC 5280 path building with swift-certificates (via GatewayCore's
/// ``ClientCertificateValidator``: validity, clientAuth EKU, bounded depth), with the configured
/// intermediates usable when the chain header omits the issuing CA.
struct ForwardedIdentityResolver: Sendable {
    /// Peers whose identity headers are believed.
    let trustedProxies: [CIDR]
    /// Validates the forwarded chain against the transport trust roots.
    let validator: ClientCertificateValidator

    /// The longest path accepted: leaf, issuing CA, root, and one spare cross-certificate.
    static let maxChainDepth = 4

    /// A resolver for the configured proxies and trust anchors.
    init(
        trustedProxies: [CIDR],
        trustRoots: [Certificate],
        intermediates: [Certificate],
        now: @escaping @Sendable () -> Date
    ) {
        self.trustedProxies = trustedProxies
        self.validator = ClientCertificateValidator(
            trustRoots: trustRoots,
            intermediates: intermediates,
            maxChainDepth: Self.maxChainDepth,
            now: now
        )
    }

    /// Resolves the identity of a request from `peer`, logging refused attempts.
    func resolve(headers: HTTPFields, peer: SocketAddress?, logger: Logger) async -> ForwardedIdentity {
        let outcome = await self.resolve(headers: headers, peerIP: peer?.ipAddress)
        if case .absent(let failure) = outcome, failure != .noCertificate {
            // Never log the header values: they are certificates, not secrets, but they are large
            // and the reason says enough.
            logger.warning(
                "client certificate not accepted",
                metadata: ["reason": "\(failure)", "peer": "\(peer.map { "\($0)" } ?? "unknown")"]
            )
        }
        return outcome
    }

    /// Resolves the identity of a request whose TCP peer is `peerIP`.
    func resolve(headers: HTTPFields, peerIP: String?) async -> ForwardedIdentity {
        switch ForwardedIdentityHeaders.extract(headers: headers, peerIP: peerIP, trustedProxies: self.trustedProxies) {
        case .none:
            return .absent(.noCertificate)
        case .untrustedPeer(let peer):
            return .absent(.untrustedPeer(peer))
        case .malformed(let reason):
            return .absent(.malformedHeader(reason))
        case .presented(let leafDER, let chainDER):
            return await self.verify(leafDER: leafDER, chainDER: chainDER)
        }
    }

    private func verify(leafDER: [UInt8], chainDER: [[UInt8]]) async -> ForwardedIdentity {
        var presented: [Certificate] = []
        do {
            presented.append(try Certificate(derEncoded: leafDER))
            for der in chainDER {
                presented.append(try Certificate(derEncoded: der))
            }
        } catch {
            return .absent(.unparseableCertificate)
        }
        switch await self.validator.validate(presented: presented) {
        case .invalid(let failure):
            return .absent(.rejected(failure))
        case .valid(let path):
            // The leaf's DER as received: `x5t#S256` must hash exactly the bytes the client holds.
            var ders: [[UInt8]] = [leafDER]
            for certificate in path.dropFirst() {
                var serializer = DER.Serializer()
                guard (try? serializer.serialize(certificate)) != nil else {
                    return .absent(.unparseableCertificate)
                }
                ders.append(serializer.serializedBytes)
            }
            guard let identity = try? ClientIdentity(validatedChainDER: ders) else {
                return .absent(.unparseableCertificate)
            }
            return .verified(identity)
        }
    }
}
