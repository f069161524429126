import GatewayCore
import Hummingbird
import MTLSIdentity

/// What the RFC 9440 identity headers of one request prove about the client.
///
/// Why a value with a reason rather than an optional: every endpoint treats "no trusted
/// certificate" the same way (400 at `/register`, 401 elsewhere), but operators need to know
/// *why* (headers from an untrusted peer are a spoofing attempt; an expired certificate is not).
enum ForwardedIdentity: Sendable {
    /// A certificate chaining to `transport_trust_roots`, with DN and thumbprint recomputed from
    /// the DER.
    case verified(ClientIdentity)
    /// No usable certificate.
    case absent(ForwardedIdentityFailure)

    /// The verified identity, if any.
    var identity: ClientIdentity? {
        if case .verified(let identity) = self { return identity }
        return nil
    }
}

/// Why a request has no usable client certificate.
enum ForwardedIdentityFailure: Sendable, Hashable, CustomStringConvertible {
    /// No `Client-Cert` header.
    case noCertificate
    /// Identity headers arrived from a peer outside `trusted_proxies` (RFC 9440 §3: origins trust
    /// them only from the proxy); they were ignored.
    case untrustedPeer(String)
    /// A header is not a valid RFC 9440 field value, or appears twice.
    case malformedHeader(String)
    /// The DER does not parse as a certificate.
    case unparseableCertificate
    /// The chain does not validate against the transport trust roots.
    case rejected(ClientCertificateFailure)

    /// A stable log reason.
    var description: String {
        switch self {
        case .noCertificate: return "no_certificate"
        case .untrustedPeer(let peer): return "untrusted_peer(\(peer))"
        case .malformedHeader(let reason): return "malformed_header(\(reason))"
        case .unparseableCertificate: return "certificate_unparseable"
        case .rejected(let failure): return failure.rawValue
        }
    }
}

/// The pure first phase of identification: which certificate bytes, if any, a request's headers
/// may be read as, given the TCP peer.
///
/// Rules (issue 3, "Identity from the gateway"):
/// - only `Client-Cert` and `Client-Cert-Chain` are read; derived headers (`X-Client-Cert-Subject-DN`,
///   thumbprints, verify results) are ignored, because DN and thumbprint are recomputed from DER;
/// - they are read only when the peer address lies in a trusted proxy range; a missing peer
///   address is never trusted;
/// - a repeated `Client-Cert` field is malformed (RFC 9440 §2.2: a single item), never "the first".
enum ForwardedIdentityHeaders {
    /// The outcome of reading the headers.
    enum Extraction: Sendable, Hashable {
        /// No identity header at all.
        case none
        /// Identity headers from an untrusted peer (to be logged and ignored).
        case untrustedPeer(String)
        /// A malformed header.
        case malformed(String)
        /// The leaf DER and the chain DERs (leaf excluded), as sent.
        case presented(leaf: [UInt8], chain: [[UInt8]])
    }

    /// `Client-Cert`, compared case-insensitively (RFC 9110 §5.1).
    static let clientCert = IdentityHeaderNames.clientCert.lowercased()
    /// `Client-Cert-Chain`.
    static let clientCertChain = IdentityHeaderNames.clientCertChain.lowercased()

    /// Reads `headers` for a request whose TCP peer is `peerIP`.
    static func extract(headers: HTTPFields, peerIP: String?, trustedProxies: [CIDR]) -> Extraction {
        let certificates = Self.values(headers, Self.clientCert)
        let chains = Self.values(headers, Self.clientCertChain)
        if certificates.isEmpty && chains.isEmpty {
            return .none
        }
        guard let peerIP, trustedProxies.contains(where: { $0.contains(ipAddress: peerIP) }) else {
            return .untrustedPeer(peerIP ?? "unknown")
        }
        guard certificates.count == 1, let certificate = certificates.first else {
            return .malformed(certificates.isEmpty ? "Client-Cert-Chain without Client-Cert" : "repeated Client-Cert")
        }
        let leaf: [UInt8]
        do {
            leaf = try RFC9440.decodeCertificate(certificate)
        } catch {
            return .malformed("Client-Cert: \(error)")
        }
        var chain: [[UInt8]] = []
        if !chains.isEmpty {
            // RFC 9110 §5.3: list fields may be split over several lines; join them back.
            do {
                chain = try RFC9440.decodeCertificateChain(chains.joined(separator: ", "))
            } catch {
                return .malformed("Client-Cert-Chain: \(error)")
            }
        }
        return .presented(leaf: leaf, chain: chain)
    }

    private static func values(_ headers: HTTPFields, _ canonicalName: String) -> [String] {
        headers.filter { $0.name.canonicalName == canonicalName }.map(\.value)
    }
}
