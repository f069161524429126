import Crypto
import GatewayCore
import RegistrationCore
import X509
import _CryptoExtras

extension AuthorizationServerConfigurationLoader.Pass {
    /// Keys of `[tokens]`.
    static let tokensKeys = ["signing_key", "access_token_lifetime"]
    /// Keys of `[introspection]`.
    static let introspectionKeys = ["credentials"]

    /// `[tokens]`; `signing_key` is required.
    func readTokens(_ reader: Reader) -> TokenSettings? {
        let key = reader.string("signing_key", required: true).flatMap {
            self.loadSigningKey(atPath: self.resolve($0), keyPath: reader.path("signing_key"))
        }
        let lifetime = reader.duration("access_token_lifetime") ?? TokenSettings.defaultAccessTokenLifetime
        reader.reportUnknownKeys()
        guard let key else { return nil }
        do {
            return try TokenSettings(signingKey: key, accessTokenLifetime: lifetime)
        } catch {
            reader.problem("signing_key", "unusable key: \(error)")
            return nil
        }
    }

    /// The token-signing key of a PEM file: RSA of at least 2048 bits (PS256) or P-256 (ES256),
    /// PKCS#8, PKCS#1 or SEC1.
    ///
    /// Why only these: FAPI and Open Banking allow PS256 and ES256 (open-banking.md §5); RSA below
    /// 2048 bits is refused by RFC 7518 §3.5. Encrypted keys are refused: there is nobody to ask
    /// for a passphrase at start-up.
    func loadSigningKey(atPath path: String, keyPath: String) -> JWSSigner.Key? {
        guard let document = self.privateKeyDocument(atPath: path, keyPath: keyPath) else { return nil }
        let pem = document.pemString
        if let rsa = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            return .rsa(rsa)
        }
        if let p256 = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            return .p256(p256)
        }
        if let other = try? Certificate.PrivateKey(pemDocument: document) {
            let kind = String(describing: other).replacingOccurrences(of: ".PrivateKey", with: "")
            self.diagnostics.problem(
                keyPath,
                "unsupported key \(kind) in \(ConfigurationLoader.quoted(path)); use RSA of at least 2048 bits (PS256) or P-256 (ES256)"
            )
        } else {
            self.diagnostics.problem(keyPath, "invalid \(document.discriminator) in \(ConfigurationLoader.quoted(path))")
        }
        return nil
    }

    /// `[introspection]`: `credentials = ["name:<sha256 hex of secret>", …]`, names unique.
    func readIntrospection(_ reader: Reader) -> IntrospectionSettings {
        var credentials: [IntrospectionCredential] = []
        for entry in reader.stringArray("credentials") ?? [] {
            guard let colon = entry.value.lastIndex(of: ":") else {
                self.diagnostics.problem(entry.keyPath, "expected \"name:<sha256 hex of the secret>\"")
                continue
            }
            let name = String(entry.value[..<colon])
            let hex = String(entry.value[entry.value.index(after: colon)...]).lowercased()
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
                self.diagnostics.problem(
                    entry.keyPath,
                    "invalid name \(ConfigurationLoader.quoted(name)); use letters, digits, \".\", \"_\" and \"-\""
                )
                continue
            }
            guard hex.utf8.count == 64, hex.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
                self.diagnostics.problem(
                    entry.keyPath,
                    "the secret of \(ConfigurationLoader.quoted(name)) must be its SHA-256 as 64 hex digits (printf %s SECRET | sha256sum)"
                )
                continue
            }
            guard !credentials.contains(where: { $0.name == name }) else {
                self.diagnostics.problem(entry.keyPath, "\(ConfigurationLoader.quoted(name)) is listed twice")
                continue
            }
            credentials.append(IntrospectionCredential(name: name, secretSHA256Hex: hex))
        }
        reader.reportUnknownKeys()
        return IntrospectionSettings(credentials: credentials)
    }
}
