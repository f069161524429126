import Crypto
import Foundation

/// Unguessable identifiers and secrets, and the digests they are stored as.
///
/// Why 256 bits for secrets and registration access tokens: they are bearer credentials (RFC 6750
/// §5.2, RFC 6749 §10.10 requires them to be infeasible to guess); 128 bits suffice for
/// identifiers (`client_id`, `jti`) whose only job is to be unique.
enum RandomToken {
    /// `byteCount` random bytes from the system CSPRNG, base64url without padding, never
    /// starting with `-`.
    ///
    /// Why not `-`: base64url has it in its alphabet, and one value in 64 would start with it —
    /// which command-line tools (ours included, `tpp get <client_id>`, `--token <token>`) read
    /// as an option, not a value (found by the container test). Drawing again keeps the values
    /// uniform over the rest; it costs 0.02 bits.
    static func make(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let token = Self.base64URL(bytes)
            if token.utf8.first != UInt8(ascii: "-") { return token }
        }
    }

    /// A new `client_id` (128 bits).
    static func clientID() -> String {
        Self.make(byteCount: 16)
    }

    /// A new `jti` (128 bits).
    static func jwtID() -> String {
        Self.make(byteCount: 16)
    }

    /// A new client secret or registration access token (256 bits).
    static func secret() -> String {
        Self.make(byteCount: 32)
    }

    /// SHA-256 of the UTF-8 of `secret`, lower-case hex: how secrets and registration access
    /// tokens are stored (a database leak then yields no usable credential).
    static func sha256Hex(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether the digest of `secret` equals `expectedHex`, compared in constant time (so the
    /// response time does not reveal how many leading characters matched).
    static func matches(_ secret: String, sha256Hex expectedHex: String) -> Bool {
        let actual = Array(Self.sha256Hex(secret).utf8)
        let expected = Array(expectedHex.lowercased().utf8)
        var difference: UInt8 = actual.count == expected.count ? 0 : 1
        for (a, b) in zip(actual, expected) {
            difference |= a ^ b
        }
        return difference == 0
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
