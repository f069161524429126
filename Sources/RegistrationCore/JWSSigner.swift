import Crypto
import _CryptoExtras

/// Produces PS256 or ES256 compact JWS: for tests, for the sandbox directory's SSAs and for the
/// authorization server's own tokens.
///
/// The header is `{"alg", "kid", "typ"}` plus any extra parameters; key-carrying parameters
/// (`jwk`, `x5c`, `x5u`) are the caller's choice and never needed by our verifier.
public struct JWSSigner: Sendable {
    /// The signing key.
    public enum Key: Sendable {
        /// RSA for PS256 (swift-crypto's `.PSS` padding: MGF1-SHA-256, 32-byte salt).
        case rsa(_RSA.Signing.PrivateKey)
        /// P-256 for ES256.
        case p256(P256.Signing.PrivateKey)
    }

    /// The key.
    public let key: Key
    /// The `kid` written into every header.
    public let keyID: String?

    /// A signer for `key`, announcing `keyID`.
    public init(key: Key, keyID: String?) {
        self.key = key
        self.keyID = keyID
    }

    /// The algorithm this key signs with.
    public var algorithm: JWSAlgorithm {
        switch self.key {
        case .rsa: return .ps256
        case .p256: return .es256
        }
    }

    /// The public half as a JWK (`use: sig`, `alg` set).
    public func publicJWK() throws(JOSEError) -> JSONWebKey {
        switch self.key {
        case .rsa(let privateKey):
            return try JSONWebKey(rsa: privateKey.publicKey, keyID: self.keyID)
        case .p256(let privateKey):
            return JSONWebKey(p256: privateKey.publicKey, keyID: self.keyID)
        }
    }

    /// Signs a JSON claims object.
    ///
    /// - Parameters:
    ///   - claims: the payload.
    ///   - type: the `typ` header (`JWT` by default; `nil` omits it).
    ///   - extraHeader: further header parameters; they cannot replace `alg`.
    /// - Throws: ``JOSEError/signingFailed``.
    public func sign(
        claims: [String: JSONValue],
        type: String? = "JWT",
        extraHeader: [String: JSONValue] = [:]
    ) throws(JOSEError) -> String {
        try self.sign(payload: JSONValue.object(claims).serializedBytes(), type: type, extraHeader: extraHeader)
    }

    /// Signs arbitrary payload bytes.
    ///
    /// - Throws: ``JOSEError/signingFailed``.
    public func sign(
        payload: [UInt8],
        type: String? = "JWT",
        extraHeader: [String: JSONValue] = [:]
    ) throws(JOSEError) -> String {
        var header = extraHeader
        header["alg"] = .string(self.algorithm.name)
        if let keyID = self.keyID { header["kid"] = .string(keyID) }
        if let type { header["typ"] = .string(type) }
        let signingInput =
            Base64URL.encode(JSONValue.object(header).serializedBytes()) + "." + Base64URL.encode(payload)
        let signature = try self.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The raw JWS signature over `signingInput`.
    private func signature(for signingInput: [UInt8]) throws(JOSEError) -> [UInt8] {
        do {
            switch self.key {
            case .rsa(let privateKey):
                let digest = SHA256.hash(data: signingInput)
                return Array(try privateKey.signature(for: digest, padding: .PSS).rawRepresentation)
            case .p256(let privateKey):
                return Array(try privateKey.signature(for: signingInput).rawRepresentation)
            }
        } catch {
            throw .signingFailed
        }
    }
}
