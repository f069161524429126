import Foundation
import MTLSIdentity

/// Base64url (RFC 4648 §5) for JOSE, plus the liberal standard base64 of JWK `x5c` entries, on
/// top of the project's one codec (`MTLSIdentity.Base64`).
///
/// Why strict: JWS segments must be decoded *strictly* (RFC 7515 §2 and §7.1: base64url
/// without padding, no line breaks, no `+` or `/`), so that one JWS has exactly one textual form and
/// garbage is refused rather than silently skipped, which Foundation's decoders do not guarantee.
enum Base64URL {
    /// Encodes `bytes` as base64url without padding.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64.encode(bytes, url: true, padding: false)
    }

    /// Strict base64url: only the URL alphabet, no padding, no whitespace, a length that is not
    /// 1 mod 4, and zero bits in the unused low bits of the last character (the canonical form).
    /// Returns `nil` for anything else. The empty string decodes to no bytes.
    static func decodeStrict(_ text: some Collection<UInt8>) -> [UInt8]? {
        Base64.decodeUnpadded(text, alphabet: .url)
    }

    /// Liberal base64url for JWK members (`n`, `e`, `x`, `y`): as ``decodeStrict(_:)`` but
    /// trailing `=` padding is tolerated.
    static func decodeLenient(_ text: String) -> [UInt8]? {
        var bytes = Array(text.utf8)
        while bytes.last == UInt8(ascii: "=") {
            bytes.removeLast()
        }
        return Base64.decodeUnpadded(bytes, alphabet: .url)
    }

    /// Liberal standard base64 (RFC 4648 §4) for `x5c` entries (RFC 7517 §4.7): whitespace,
    /// escaped newlines and PEM armour lines are ignored, padding is optional.
    static func decodeCertificateText(_ text: String) -> [UInt8]? {
        var body: [UInt8] = []
        let unescaped = text.replacingEscapedNewlines()
        for line in unescaped.split(whereSeparator: \.isNewline) {
            if line.contains("-----") {
                // `-----BEGIN CERTIFICATE-----` / `-----END CERTIFICATE-----`, possibly inline.
                let stripped = Self.stripArmour(String(line))
                body.append(contentsOf: stripped.utf8)
            } else {
                body.append(contentsOf: line.utf8)
            }
        }
        body.removeAll { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        while body.last == UInt8(ascii: "=") {
            body.removeLast()
        }
        guard !body.isEmpty else { return nil }
        return Base64.decodeUnpadded(body, alphabet: .standard)
    }

    private static func stripArmour(_ line: String) -> String {
        var remaining = Substring(line)
        var output = ""
        while let start = remaining.range(of: "-----") {
            output += remaining[..<start.lowerBound]
            let afterStart = remaining[start.upperBound...]
            guard let end = afterStart.range(of: "-----") else {
                return output
            }
            remaining = afterStart[end.upperBound...]
        }
        output += remaining
        return output
    }
}

extension String {
    /// Replaces literal `\n` / `\r` escape sequences (seen in JWKS `x5c` entries copied from PEM
    /// files) by real newlines.
    fileprivate func replacingEscapedNewlines() -> String {
        self.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
    }
}
