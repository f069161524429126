/// Why a compact JWS, a JWK or a JWKS was refused.
///
/// The cases are stable and comparable (tests and logs match on them); ``description`` is a short
/// English sentence naming the rule, safe to return to the client because it never contains key
/// material or signatures.
public enum JOSEError: Error, Sendable, Hashable {
    /// A part of a JOSE object.
    public enum Segment: String, Sendable, Hashable {
        /// The protected header.
        case header
        /// The payload.
        case payload
        /// The signature.
        case signature
    }

    /// The serialisation is longer than the accepted maximum.
    case tooLarge(limit: Int)
    /// Not three `.`-separated segments (RFC 7515 §7.1).
    case wrongSegmentCount(Int)
    /// A segment is not strict base64url (no padding, URL alphabet only, RFC 7515 §2).
    case invalidBase64URL(Segment)
    /// The header is not a JSON object, or repeats a member (RFC 7515 §4).
    case headerNotJSONObject
    /// A header parameter is missing or has the wrong type or value.
    case invalidHeaderParameter(name: String, reason: String)
    /// `crit` names extensions we do not implement (RFC 7515 §4.1.11: must reject).
    case unsupportedCriticalHeader([String])
    /// The `alg` is not on the allow-list (`none`, `HS*`, `RS256`, … or not enabled by policy).
    case algorithmNotAllowed(String)
    /// The header has no `kid`, and no default key is ever chosen.
    case missingKeyID
    /// No usable signing key has this `kid` (compared exactly as given).
    case unknownKeyID(String)
    /// The key's `use` is not `sig` (RFC 7517 §4.2).
    case keyUseMismatch(String)
    /// The key's `alg` differs from the header's `alg` (RFC 7517 §4.4).
    case keyAlgorithmMismatch(key: String, header: String)
    /// The key's type cannot produce this algorithm (an EC key for PS256, …).
    case keyTypeMismatch(algorithm: String, keyType: String)
    /// The key material is unusable (RSA below 2048 bits, a point not on P-256, …).
    case invalidKey(String)
    /// The signature does not verify.
    case invalidSignature
    /// The payload is not a JSON object with unique member names (RFC 7519 §4, §7.2 step 10).
    case payloadNotJSONObject
    /// The JWKS document is not `{"keys": [...]}` (RFC 7517 §5).
    case invalidKeySet(String)
    /// Producing a signature failed.
    case signingFailed
}

extension JOSEError: CustomStringConvertible {
    /// A one-sentence explanation for logs and `error_description`.
    public var description: String {
        switch self {
        case .tooLarge(let limit):
            return "the JWS is longer than \(limit) bytes"
        case .wrongSegmentCount(let count):
            return "a compact JWS has 3 segments separated by '.', found \(count)"
        case .invalidBase64URL(let segment):
            return "the \(segment.rawValue) segment is not unpadded base64url"
        case .headerNotJSONObject:
            return "the JOSE header is not a JSON object with unique member names"
        case .invalidHeaderParameter(let name, let reason):
            return "JOSE header parameter '\(name)' \(reason)"
        case .unsupportedCriticalHeader(let names):
            return "JOSE header 'crit' lists unsupported extensions: \(names.joined(separator: ", "))"
        case .algorithmNotAllowed(let alg):
            return "alg '\(alg)' is not allowed (only \(JWSAlgorithm.allCases.map(\.name).joined(separator: ", ")))"
        case .missingKeyID:
            return "the JOSE header has no 'kid'"
        case .unknownKeyID(let kid):
            return "no signing key with kid '\(kid)'"
        case .keyUseMismatch(let use):
            return "the key with this kid has use '\(use)', not 'sig'"
        case .keyAlgorithmMismatch(let key, let header):
            return "the key with this kid is for alg '\(key)', the header says '\(header)'"
        case .keyTypeMismatch(let algorithm, let keyType):
            return "a \(keyType) key cannot verify \(algorithm)"
        case .invalidKey(let reason):
            return "the key with this kid is unusable: \(reason)"
        case .invalidSignature:
            return "the signature does not verify"
        case .payloadNotJSONObject:
            return "the JWS payload is not a JSON object with unique member names"
        case .invalidKeySet(let reason):
            return "the JWKS is invalid: \(reason)"
        case .signingFailed:
            return "signing failed"
        }
    }
}
