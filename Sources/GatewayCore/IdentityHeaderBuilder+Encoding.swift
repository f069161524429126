import MTLSIdentity

extension IdentityHeaderBuilder {
    /// PEM encodings shared by several profiles, computed on first use.
    struct Encodings {
        private let identity: ClientIdentity
        private var cachedLeafPEM: String?
        private var cachedLeafURLEncoded: String?

        init(_ identity: ClientIdentity) {
            self.identity = identity
        }

        var leafPEM: String {
            mutating get {
                if let pem = self.cachedLeafPEM { return pem }
                let pem = CertificatePEM.encode(self.identity.leafDER)
                self.cachedLeafPEM = pem
                return pem
            }
        }

        /// nginx `$ssl_client_escaped_cert` / Envoy `Cert`.
        var leafURLEncodedPEM: String {
            mutating get {
                if let encoded = self.cachedLeafURLEncoded { return encoded }
                let encoded = IdentityHeaderBuilder.percentEncoded(self.leafPEM)
                self.cachedLeafURLEncoded = encoded
                return encoded
            }
        }

        /// Envoy `Chain`: leaf and intermediates (the anchor is not part of what the client proves).
        var chainURLEncodedPEM: String {
            mutating get {
                IdentityHeaderBuilder.percentEncoded(
                    self.leafPEM + CertificatePEM.encode(chain: self.identity.intermediatesDER)
                )
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Percent-encoding of everything but RFC 3986 unreserved characters, upper-case hex: the PEM
    /// alphabet comes out as nginx's `$ssl_client_escaped_cert` and Envoy's URL-encoded PEM do
    /// (`-----BEGIN%20CERTIFICATE-----%0AMII…%2B…%2F…%3D%0A…`).
    static func percentEncoded(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(Self.hexDigits[Int(byte >> 4)])
                output.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// mod_ssl's PEM as a header value: line breaks become spaces, no trailing space.
    static func apachePEM(_ pem: String) -> String {
        var output: [UInt8] = Array(pem.utf8)
        while output.last == UInt8(ascii: "\n") {
            output.removeLast()
        }
        for index in output.indices where output[index] == UInt8(ascii: "\n") {
            output[index] = UInt8(ascii: " ")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// An XFCC value: bare when it has none of `, ; = "` or whitespace, else quoted.
    static func xfccValue(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "=")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\\")
        }
        return needsQuotes ? Self.xfccQuoted(value) : value
    }

    /// `"value"` with `\` and `"` backslash-escaped, so a DN's own `\"` survives a quoted-string
    /// parser.
    static func xfccQuoted(_ value: String) -> String {
        var output: [UInt8] = [UInt8(ascii: "\"")]
        output.reserveCapacity(value.utf8.count + 2)
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output.append(UInt8(ascii: "\\"))
            }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
        return String(decoding: output, as: UTF8.self)
    }

    /// Printable ASCII only (SAN strings with control characters are skipped, never forwarded).
    static func isPrintableASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `value` with control characters (CR, LF, NUL, …) replaced by `?`: certificate text fields
    /// copied verbatim into a header must never break the header block.
    static func printable(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return value }
        return String(decoding: value.utf8.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
    }
}
