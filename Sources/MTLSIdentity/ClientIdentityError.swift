/// Why a ``ClientIdentity`` could not be built from a chain.
public enum ClientIdentityError: Error, Sendable, Hashable {
    /// The validated chain was empty: there is no leaf.
    case emptyChain
    /// The certificate at `index` (0 = leaf) could not be parsed from, or serialised to, DER.
    case invalidCertificate(index: Int)
}
