/// The protected header of a compact JWS, with the parameters that matter for verification
/// extracted and typed (RFC 7515 §4.1).
///
/// Why key-carrying parameters are only *noted*: `jwk`, `x5c` and `x5u` let the sender supply the
/// key that verifies its own signature. Open Banking requires keys from the directory or the
/// software JWKS (open-banking.md §5), so these are recorded for logs and never used.
public struct JOSEHeader: Sendable, Hashable {
    /// `alg`, exactly as sent (checked against the allow-list by ``JWSVerifier``).
    public let algorithm: String
    /// `kid`, exactly as sent; matched byte for byte against JWKS entries.
    public let keyID: String?
    /// `typ`, if present.
    public let type: String?
    /// `cty`, if present.
    public let contentType: String?
    /// `crit`, if present (always empty after a successful parse: we understand no extension).
    public let critical: [String]
    /// Whether the header carries `x5c` (ignored).
    public let hasX509CertificateChain: Bool
    /// Whether the header carries `x5u` (ignored, never fetched).
    public let hasX509URL: Bool
    /// Whether the header carries `jwk` (ignored).
    public let hasJSONWebKey: Bool
    /// Every header parameter as parsed.
    public let parameters: [String: JSONValue]

    /// Extracts the typed parameters from a decoded header object.
    ///
    /// - Throws: ``JOSEError/invalidHeaderParameter(name:reason:)`` when `alg` is missing or a known
    ///   parameter has the wrong JSON type, ``JOSEError/unsupportedCriticalHeader(_:)`` for any
    ///   `crit` (RFC 7515 §4.1.11: a recipient that does not understand a listed extension must
    ///   reject the JWS; we implement none).
    public init(parameters: [String: JSONValue]) throws(JOSEError) {
        self.parameters = parameters
        guard let alg = parameters["alg"] else {
            throw .invalidHeaderParameter(name: "alg", reason: "is missing")
        }
        guard let algorithm = alg.stringValue, !algorithm.isEmpty else {
            throw .invalidHeaderParameter(name: "alg", reason: "must be a non-empty string, got \(alg.typeName)")
        }
        self.algorithm = algorithm
        self.keyID = try Self.optionalString("kid", in: parameters)
        self.type = try Self.optionalString("typ", in: parameters)
        self.contentType = try Self.optionalString("cty", in: parameters)
        if let crit = parameters["crit"] {
            guard let names = crit.arrayValue, !names.isEmpty else {
                throw .invalidHeaderParameter(name: "crit", reason: "must be a non-empty array of strings")
            }
            var strings: [String] = []
            for name in names {
                guard let string = name.stringValue else {
                    throw .invalidHeaderParameter(name: "crit", reason: "must be a non-empty array of strings")
                }
                strings.append(string)
            }
            throw .unsupportedCriticalHeader(strings)
        }
        self.critical = []
        self.hasX509CertificateChain = parameters["x5c"] != nil
        self.hasX509URL = parameters["x5u"] != nil
        self.hasJSONWebKey = parameters["jwk"] != nil
    }

    private static func optionalString(
        _ name: String,
        in parameters: [String: JSONValue]
    ) throws(JOSEError)
        -> String?
    {
        guard let value = parameters[name] else { return nil }
        guard let string = value.stringValue else {
            throw .invalidHeaderParameter(name: name, reason: "must be a string, got \(value.typeName)")
        }
        return string
    }
}
