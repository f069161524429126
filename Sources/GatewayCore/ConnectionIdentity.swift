import MTLSIdentity
import Synchronization
import X509

/// What a downstream connection keeps of its client's identity once the handshake is done: the
/// identity headers to add to every request and the access-log fields, nothing else.
///
/// Why not keep the `ClientIdentity`: it holds the parsed validated chain and the DER of every
/// certificate (~12 KiB per connection, measured with heaptrack), which no request needs again.
/// A class, so a request reads it through one reference instead of copying a dozen fields.
public final class ConnectionIdentity: Sendable {
    /// The headers from ``IdentityHeaderBuilder/headers(for:)`` as wire bytes
    /// (``IdentityHeaderBlock``), appended to every upstream request head. Only the bytes are kept:
    /// keeping the header strings too would hold the ~4 KiB twice per chain.
    public let headerBlock: [UInt8]
    /// The headers, read back from `headerBlock` (for tests and diagnostics; not on the hot path).
    public var headers: [(name: String, value: String)] {
        IdentityHeaderBlock.parse(self.headerBlock)
    }
    /// The leaf's subject DN in the configured format (access log `client_subject`).
    public let subjectDN: String
    /// The leaf's issuer DN in the configured format (access log `client_issuer`).
    public let issuerDN: String
    /// The leaf's serial number (hex).
    public let serialNumberHex: String
    /// RFC 8705 `x5t#S256` of the leaf.
    public let thumbprintS256: String
    /// Open Banking organisation id, if the certificate carries one.
    public let orgID: String?
    /// Open Banking software id, if the certificate carries one.
    public let softwareID: String?
    /// The access-log identity fields, escaped for JSON once for every connection of the chain.
    public let logFields: AccessLogIdentityFields

    /// The identity's connection state for `identity`, with headers from `builder`.
    public init(_ identity: ClientIdentity, builder: IdentityHeaderBuilder) {
        self.headerBlock = IdentityHeaderBlock.serialize(builder.headers(for: identity))
        self.subjectDN = identity.subjectDN(builder.dnFormat)
        self.issuerDN = identity.issuerDN(builder.dnFormat)
        self.serialNumberHex = identity.serialNumberHex
        self.thumbprintS256 = identity.thumbprintS256
        self.orgID = identity.orgID
        self.softwareID = identity.softwareID
        self.logFields = AccessLogIdentityFields(
            subject: self.subjectDN,
            issuer: self.issuerDN,
            serial: self.serialNumberHex,
            thumbprintS256: self.thumbprintS256,
            orgID: self.orgID,
            softwareID: self.softwareID
        )
    }
}

/// Shares one ``ConnectionIdentity`` between the connections that present the same validated
/// chain, so a client with many connections pays for its identity headers (~4 KiB of base64 and
/// DNs) once, not per connection, and its later handshakes skip building them.
///
/// Why sharing is exact: the key is the whole validated chain (swift-certificates `Certificate`
/// equality compares the certificates' contents, not a hash of them), and the value is a pure
/// function of that chain and the listener's header settings, which a cache is bound to. A
/// different chain — another leaf, or the same leaf validated along another path — is another
/// entry. Bounded: when full, the oldest entry is dropped (entries are immutable, so an evicted
/// one stays valid for the connections that hold it).
public final class ConnectionIdentityCache: Sendable {
    private struct State {
        var entries: [[Certificate]: ConnectionIdentity] = [:]
        var order: [[Certificate]] = []
        var oldest = 0
    }

    private let builder: IdentityHeaderBuilder
    private let capacity: Int
    private let state = Mutex(State())

    /// A cache for connections whose headers `builder` makes, holding up to `capacity` chains.
    public init(builder: IdentityHeaderBuilder, capacity: Int = 256) {
        self.builder = builder
        self.capacity = max(0, capacity)
    }

    /// How many chains are cached.
    public var count: Int { self.state.withLock { $0.entries.count } }

    /// The connection identity for a validated chain (leaf first): the cached one, or a new one
    /// built by `makeIdentity` (which may throw, e.g. for an unparseable chain; nothing is
    /// cached then).
    public func identity(
        for chain: [Certificate],
        makeIdentity: ([Certificate]) throws -> ClientIdentity
    ) rethrows -> ConnectionIdentity {
        if let cached = self.state.withLock({ $0.entries[chain] }) {
            return cached
        }
        // Built outside the lock: two connections racing for a new chain may both build it.
        let identity = ConnectionIdentity(try makeIdentity(chain), builder: self.builder)
        guard self.capacity > 0 else { return identity }
        return self.state.withLock { state in
            if let cached = state.entries[chain] { return cached }
            if state.entries.count >= self.capacity {
                let evicted = state.order[state.oldest]
                state.entries[evicted] = nil
                state.order[state.oldest] = chain
                state.oldest = (state.oldest + 1) % self.capacity
            } else {
                state.order.append(chain)
            }
            state.entries[chain] = identity
            return identity
        }
    }
}
