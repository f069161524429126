import Crypto
import Foundation
import RegistrationCore
import X509

/// `[tokens]`: how access tokens are signed.
public struct TokenSettings: Sendable {
    /// The default access-token lifetime.
    public static let defaultAccessTokenLifetime: Duration = .seconds(600)

    /// `signing_key`: the private key (RSA → PS256, P-256 → ES256).
    public var signingKey: Certificate.PrivateKey
    /// The same key in the form ``JWSSigner`` signs with (swift-certificates' key type cannot be
    /// unwrapped back into a swift-crypto key).
    public var signingKeyMaterial: JWSSigner.Key
    /// The `kid`: the RFC 7638 JWK thumbprint of the public key, so it changes exactly when the key
    /// does and resource servers can cache the JWKS by `kid` safely.
    public var signingKeyID: String
    /// `access_token_lifetime`.
    public var accessTokenLifetime: Duration

    /// Creates settings; `signingKeyID` is computed from the key.
    public init(signingKey: JWSSigner.Key, accessTokenLifetime: Duration = TokenSettings.defaultAccessTokenLifetime) throws(JOSEError) {
        switch signingKey {
        case .rsa(let key): self.signingKey = Certificate.PrivateKey(key)
        case .p256(let key): self.signingKey = Certificate.PrivateKey(key)
        }
        self.signingKeyMaterial = signingKey
        self.signingKeyID = try Self.jwkThumbprint(of: JWSSigner(key: signingKey, keyID: nil).publicJWK()) ?? ""
        self.accessTokenLifetime = accessTokenLifetime
    }

    /// The signer for access tokens (`kid` = ``signingKeyID``).
    public var signer: JWSSigner {
        JWSSigner(key: self.signingKeyMaterial, keyID: self.signingKeyID)
    }

    /// The JWS algorithm of the signing key.
    public var signingAlgorithm: JWSAlgorithm {
        self.signer.algorithm
    }

    /// The RFC 7638 thumbprint (SHA-256, base64url without padding) of an RSA or P-256 JWK, or
    /// `nil` for other key types.
    ///
    /// RFC 7638 §3: the JSON object of the required members only (`e`, `kty`, `n` for RSA;
    /// `crv`, `kty`, `x`, `y` for EC), in lexicographic order, without whitespace, hashed as UTF-8.
    /// §3.3: `n` has no leading zero octets.
    public static func jwkThumbprint(of key: JSONWebKey) -> String? {
        let canonical: String
        switch key.material {
        case .rsa(let modulus, let exponent):
            let n = Self.base64URL(Array(modulus.drop(while: { $0 == 0 })))
            let e = Self.base64URL(Array(exponent.drop(while: { $0 == 0 })))
            canonical = #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        case .p256(let x, let y):
            canonical = #"{"crv":"P-256","kty":"EC","x":"\#(Self.base64URL(x))","y":"\#(Self.base64URL(y))"}"#
        case .unsupported:
            return nil
        }
        return Self.base64URL(Array(SHA256.hash(data: Array(canonical.utf8))))
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// `[introspection]`: who may call `POST /introspect` (RFC 7662 §2.1 requires the caller to be
/// authenticated, so that tokens cannot be probed by anyone).
public struct IntrospectionSettings: Sendable, Hashable {
    /// `credentials`: HTTP Basic credentials of resource servers; empty turns `/introspect` off.
    public var credentials: [IntrospectionCredential]

    /// Creates settings.
    public init(credentials: [IntrospectionCredential] = []) {
        self.credentials = credentials
    }

    /// Whether `/introspect` is served.
    public var isEnabled: Bool {
        !self.credentials.isEmpty
    }
}

/// One resource server allowed to introspect: `"name:<sha256 hex of secret>"` in the file.
///
/// Why a hash: the configuration file then holds no usable secret; the server hashes the
/// presented Basic password and compares digests in constant time.
public struct IntrospectionCredential: Sendable, Hashable {
    /// The Basic user name.
    public var name: String
    /// SHA-256 of the secret, 64 lowercase hex digits.
    public var secretSHA256Hex: String

    /// Creates a credential.
    public init(name: String, secretSHA256Hex: String) {
        self.name = name
        self.secretSHA256Hex = secretSHA256Hex
    }

    /// The credential of `secret` (hashed here; the secret itself is not kept).
    public init(name: String, secret: String) {
        self.init(name: name, secretSHA256Hex: Self.hexSHA256(secret))
    }

    /// `name:<sha256 hex>`, the form `[introspection] credentials` takes in the file.
    public var configurationValue: String {
        "\(self.name):\(self.secretSHA256Hex)"
    }

    private static func hexSHA256(_ text: String) -> String {
        Array(SHA256.hash(data: Array(text.utf8))).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Whether `secret` is this credential's secret (SHA-256 compared in constant time).
    public func matches(secret: String) -> Bool {
        let hex = Self.hexSHA256(secret)
        var difference: UInt8 = hex.utf8.count == self.secretSHA256Hex.utf8.count ? 0 : 1
        for (a, b) in zip(hex.utf8, self.secretSHA256Hex.utf8) {
            difference |= a ^ b
        }
        return difference == 0
    }
}

extension String {
    /// The string with leading `0`s up to `length` characters.
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - self.count)) + self
    }
}
