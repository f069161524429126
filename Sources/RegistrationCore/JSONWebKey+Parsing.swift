import Crypto
import _CryptoExtras

extension JSONWebKey {
    /// Why a JWK was left out of a ``JSONWebKeySet``.
    public struct Skipped: Error, Sendable, Hashable {
        /// The `kid`, when it was a string.
        public let keyID: String?
        /// A short reason for logs.
        public let reason: String
    }

    /// Parses one JWK, or explains why it is not usable here.
    ///
    /// Kept: RSA keys (≥ 2048 bits) and P-256 EC keys whose `use` is absent, `sig` or `tls` and
    /// whose `alg` is absent or a registered JWS signature algorithm; and any `use: tls` entry
    /// (its certificate is what matters). Skipped: encryption keys (`use: enc`, or an `alg` such as
    /// `RSA-OAEP-256`), symmetric keys (`oct`: a shared secret never belongs in a public set, and
    /// accepting one invites HMAC algorithm confusion), other curves and key types, and entries
    /// with members of the wrong type or undecodable `x5c`.
    static func parse(_ value: JSONValue) -> Result<JSONWebKey, Skipped> {
        guard case .object(let members) = value else {
            return .failure(Skipped(keyID: nil, reason: "not a JSON object"))
        }
        let keyID = members["kid"]?.stringValue
        func skip(_ reason: String) -> Result<JSONWebKey, Skipped> {
            .failure(Skipped(keyID: keyID, reason: reason))
        }
        for name in ["kid", "use", "alg", "kty", "x5t#S256"] {
            if let member = members[name], member.stringValue == nil {
                return skip("'\(name)' is not a string")
            }
        }
        guard let keyType = members["kty"]?.stringValue else {
            return skip("'kty' is missing")
        }
        let use = members["use"]?.stringValue
        let algorithm = members["alg"]?.stringValue
        if use == "enc" {
            return skip("an encryption key (use 'enc')")
        }
        if let algorithm, !JWSAlgorithm.registeredSignatureNames.contains(algorithm) {
            return skip("alg '\(algorithm)' is not a JWS signature algorithm")
        }
        guard let chain = Self.certificateChain(members["x5c"]) else {
            return skip("'x5c' is not an array of base64 certificates")
        }
        let material: Material
        switch Self.material(keyType: keyType, members: members) {
        case .success(let parsed):
            material = parsed
        case .failure(let reason):
            guard use == "tls" else { return skip(reason.text) }
            material = .unsupported(keyType: keyType)
        }
        return .success(
            JSONWebKey(
                material: material,
                keyID: keyID,
                use: use,
                algorithm: algorithm,
                certificateChain: chain,
                certificateThumbprintS256: members["x5t#S256"]?.stringValue
            )
        )
    }

    private struct Reason: Error {
        let text: String
    }

    private static func material(keyType: String, members: [String: JSONValue]) -> Result<Material, Reason> {
        switch keyType {
        case "RSA":
            guard let modulus = members["n"]?.stringValue.flatMap(Base64URL.decodeLenient),
                let exponent = members["e"]?.stringValue.flatMap(Base64URL.decodeLenient),
                !modulus.isEmpty, !exponent.isEmpty
            else {
                return .failure(Reason(text: "RSA key without valid 'n' and 'e'"))
            }
            // The swift-crypto initialiser enforces the 2048-bit minimum (RFC 7518 §3.5).
            guard (try? _RSA.Signing.PublicKey(n: modulus, e: exponent)) != nil else {
                return .failure(Reason(text: "RSA key is invalid or smaller than 2048 bits"))
            }
            return .success(.rsa(modulus: modulus, exponent: exponent))
        case "EC":
            guard members["crv"]?.stringValue == "P-256" else {
                return .failure(Reason(text: "EC key not on curve P-256"))
            }
            guard let x = members["x"]?.stringValue.flatMap(Base64URL.decodeLenient),
                let y = members["y"]?.stringValue.flatMap(Base64URL.decodeLenient),
                x.count == 32, y.count == 32,
                (try? P256.Signing.PublicKey(rawRepresentation: x + y)) != nil
            else {
                return .failure(Reason(text: "EC key without a valid P-256 point"))
            }
            return .success(.p256(x: x, y: y))
        case "oct":
            return .failure(Reason(text: "a symmetric key"))
        default:
            return .failure(Reason(text: "unsupported kty '\(keyType)'"))
        }
    }

    /// `x5c` decoded; `nil` when present but unusable, `[]` when absent.
    private static func certificateChain(_ value: JSONValue?) -> [[UInt8]]? {
        guard let value else { return [] }
        guard let entries = value.arrayValue else { return nil }
        var chain: [[UInt8]] = []
        for entry in entries {
            guard let text = entry.stringValue, let der = Base64URL.decodeCertificateText(text) else {
                return nil
            }
            chain.append(der)
        }
        return chain
    }
}
