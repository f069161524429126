import Crypto
import GatewayCore
import RegistrationCore
import X509
import _CryptoExtras

extension AuthorizationServerConfigurationLoader.Pass {
    /// Keys of `[tokens]`.
    static let tokensKeys = ["signing_key", "access_token_lifetime"]
    /// Keys of `[introspection]`.
    static let introspectionKeys = ["credentials", "credential_files"]

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

    /// `[introspection]`: `credentials = ["name:<sha256 hex of secret>", …]` and
    /// `credential_files = ["name:<path of a file holding the secret>", …]`, names unique across
    /// both.
    ///
    /// Why files too: a deployment that generates the secret when it starts (Docker/compose.yaml
    /// writes one into the PKI volume) has no hash to put in a file it ships; the server reads
    /// the secret, keeps only its SHA-256, and the resource server reads the same file.
    func readIntrospection(_ reader: Reader) -> IntrospectionSettings {
        var credentials: [IntrospectionCredential] = []
        for entry in reader.stringArray("credentials") ?? [] {
            guard let (name, hex) = self.introspectionEntry(entry, expected: "name:<sha256 hex of the secret>") else { continue }
            let digest = hex.lowercased()
            guard digest.utf8.count == 64, digest.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
                self.diagnostics.problem(
                    entry.keyPath,
                    "the secret of \(ConfigurationLoader.quoted(name)) must be its SHA-256 as 64 hex digits (printf %s SECRET | sha256sum)"
                )
                continue
            }
            self.append(IntrospectionCredential(name: name, secretSHA256Hex: digest), to: &credentials, keyPath: entry.keyPath)
        }
        for entry in reader.stringArray("credential_files") ?? [] {
            guard let (name, path) = self.introspectionEntry(
                entry,
                expected: "name:<path of the secret file>",
                splitAtFirstColon: true
            ) else { continue }
            let resolved = self.resolve(path)
            let secret: String
            switch ConfigurationLoader.readTextFile(atPath: resolved) {
            case .success(let contents):
                // One trailing newline is the file's, not the secret's (`echo`, editors).
                secret = contents.hasSuffix("\n") ? String(contents.dropLast()) : contents
            case .failure(let failure):
                self.diagnostics.problem(entry.keyPath, "cannot read \(ConfigurationLoader.quoted(resolved)): \(failure.reason)")
                continue
            }
            // RFC 7662 §2.1 leaves the credential to the deployment; a short one is guessable.
            guard secret.utf8.count >= Self.minimumSecretLength else {
                self.diagnostics.problem(
                    entry.keyPath,
                    "the secret in \(ConfigurationLoader.quoted(resolved)) is shorter than \(Self.minimumSecretLength) characters"
                )
                continue
            }
            self.append(IntrospectionCredential(name: name, secret: secret), to: &credentials, keyPath: entry.keyPath)
        }
        reader.reportUnknownKeys()
        return IntrospectionSettings(credentials: credentials)
    }

    /// The shortest secret `credential_files` accepts (32 random base64 characters ≈ 190 bits).
    static let minimumSecretLength = 32

    /// `name:value`, with the name checked. A digest has no colon, so credentials split at the
    /// last one (as they always did); a path may contain colons and a name may not, so files
    /// split at the first.
    private func introspectionEntry(
        _ entry: (keyPath: String, value: String),
        expected: String,
        splitAtFirstColon: Bool = false
    ) -> (name: String, value: String)? {
        guard let colon = splitAtFirstColon ? entry.value.firstIndex(of: ":") : entry.value.lastIndex(of: ":") else {
            self.diagnostics.problem(entry.keyPath, "expected \"\(expected)\"")
            return nil
        }
        let name = String(entry.value[..<colon])
        let value = String(entry.value[entry.value.index(after: colon)...])
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            self.diagnostics.problem(
                entry.keyPath,
                "invalid name \(ConfigurationLoader.quoted(name)); use letters, digits, \".\", \"_\" and \"-\""
            )
            return nil
        }
        guard !value.isEmpty else {
            self.diagnostics.problem(entry.keyPath, "expected \"\(expected)\"")
            return nil
        }
        return (name, value)
    }

    private func append(_ credential: IntrospectionCredential, to credentials: inout [IntrospectionCredential], keyPath: String) {
        guard !credentials.contains(where: { $0.name == credential.name }) else {
            self.diagnostics.problem(keyPath, "\(ConfigurationLoader.quoted(credential.name)) is listed twice")
            return
        }
        credentials.append(credential)
    }
}
