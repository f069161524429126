/// PEM armour (RFC 7468 §5) for certificates, as nginx, Envoy and Apache put them in headers.
///
/// Why our own: the compatibility header profiles must reproduce those proxies' byte layout
/// (64-column base64 lines, `\n` line ends, trailing newline) exactly, on the per-connection path.
public enum CertificatePEM {
    private static let header: [UInt8] = Array("-----BEGIN CERTIFICATE-----\n".utf8)
    private static let footer: [UInt8] = Array("-----END CERTIFICATE-----\n".utf8)

    /// The PEM text of one DER certificate: 64-character lines, `\n` line ends, trailing newline.
    public static func encode(_ der: [UInt8]) -> String {
        let body = Base64.encodeBytes(der)
        var output: [UInt8] = []
        output.reserveCapacity(Self.header.count + body.count + body.count / 64 + 1 + Self.footer.count)
        output.append(contentsOf: Self.header)
        var index = body.startIndex
        while index < body.endIndex {
            let end = min(index + 64, body.endIndex)
            output.append(contentsOf: body[index..<end])
            output.append(UInt8(ascii: "\n"))
            index = end
        }
        output.append(contentsOf: Self.footer)
        return String(decoding: output, as: UTF8.self)
    }

    /// The PEM texts of several certificates, concatenated in order.
    public static func encode(chain ders: [[UInt8]]) -> String {
        var output = ""
        for der in ders {
            output += Self.encode(der)
        }
        return output
    }
}
