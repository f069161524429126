/// A JWKS (RFC 7517 §5) parsed leniently: every key we can use is kept, every other one is listed
/// in ``skipped`` without failing the set.
///
/// Why lenient: the OB directory and software JWKS publish encryption keys, certificates with
/// stray armour and key types we never verify with. Rejecting the whole set over one of them
/// (jwt-kit's behaviour) would make registration fail for reasons unrelated to the signing key.
/// Leniency ends at lookup: keys are found by exact `kid`, with no fallback to a default key.
public struct JSONWebKeySet: Sendable, Hashable {
    /// The usable keys, in document order.
    public let keys: [JSONWebKey]
    /// The entries left out, with reasons (for logs).
    public let skipped: [JSONWebKey.Skipped]

    /// A set from keys.
    public init(keys: [JSONWebKey]) {
        self.keys = keys
        self.skipped = []
    }

    /// Parses a JWKS document.
    ///
    /// - Throws: ``JOSEError/invalidKeySet(_:)`` only when the document is not JSON or not an object
    ///   with a `keys` array; individual keys never make it fail.
    public init(parsing bytes: some Collection<UInt8>, maximumLength: Int = 1_048_576) throws(JOSEError) {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes, maximumLength: maximumLength)
        } catch .tooLarge {
            throw .invalidKeySet("larger than \(maximumLength) bytes")
        } catch {
            throw .invalidKeySet("not JSON")
        }
        guard case .object(let members) = document, case .array(let entries)? = members["keys"] else {
            throw .invalidKeySet("not an object with a 'keys' array")
        }
        var keys: [JSONWebKey] = []
        var skipped: [JSONWebKey.Skipped] = []
        for entry in entries {
            switch JSONWebKey.parse(entry) {
            case .success(let key): keys.append(key)
            case .failure(let reason): skipped.append(reason)
            }
        }
        self.keys = keys
        self.skipped = skipped
    }

    /// The keys whose `kid` equals `keyID` exactly (no case folding, no trimming).
    public func keys(withID keyID: String) -> [JSONWebKey] {
        self.keys.filter { $0.keyID == keyID }
    }

    /// The signing key for a JWS header: the first key whose `kid` equals the header's `kid`
    /// exactly and whose `use` is absent or `sig`.
    ///
    /// Why no fallback: choosing "the only key" or "the first key" when `kid` is missing or
    /// unknown lets any key in the set vouch for any token (the jwt-kit default-key behaviour the
    /// issue warns about). An unknown `kid` is reported so that the caller can refresh the set
    /// once and retry.
    ///
    /// - Throws: ``JOSEError/missingKeyID`` or ``JOSEError/unknownKeyID(_:)``.
    public func signingKey(for header: JOSEHeader) throws(JOSEError) -> JSONWebKey {
        guard let keyID = header.keyID else {
            throw .missingKeyID
        }
        let candidates = self.keys(withID: keyID)
        if let key = candidates.first(where: { $0.use == nil || $0.use == "sig" }) {
            return key
        }
        if let key = candidates.first {
            // Present but for another use: let the verifier report the precise mismatch.
            return key
        }
        throw .unknownKeyID(keyID)
    }

    /// RFC 8705 `x5t#S256` thumbprints of the transport certificates in this set: every key with
    /// `use` = `tls`, thumbprint computed from `x5c[0]` or else taken from `x5t#S256`.
    ///
    /// This is how an OBWAC/eIDAS transport certificate is shown to belong to a software statement
    /// (open-banking.md §6): it is published in the software's JWKS with `use` = `tls`.
    public var tlsCertificateThumbprints: Set<String> {
        Set(self.keys.filter { $0.use == "tls" }.compactMap(\.tlsCertificateThumbprint))
    }

    /// The set as a JWKS JSON object.
    public var json: JSONValue {
        .object(["keys": .array(self.keys.map { .object($0.json) })])
    }
}
