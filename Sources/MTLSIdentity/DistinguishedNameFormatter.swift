import SwiftASN1
import X509

/// Renders a ``DistinguishedName`` as a string, in one of the ``DNFormat``s.
///
/// Both formats write RDNs most specific first (`CN=…,…,C=GB`, RFC 4514 §2.1), `,` between RDNs
/// and `+` inside a multi-valued RDN. Inside an RDN the attributes appear in reverse DER order,
/// because that is what OpenSSL does (it reverses the flat entry list); the strict format follows
/// suit so that both renderings of a name list attributes identically. (swift-certificates keeps a
/// multi-valued RDN's attributes in DER SET order; for the rare certificate whose SET is not
/// DER-sorted, OpenSSL's wire order and ours can differ.)
///
/// Why this matters: banks compare these strings with what their existing stack (usually
/// OpenSSL-backed nginx or Apache) produced; one escaped byte of difference fails a client
/// (open-banking.md §2). Header values built from them never contain CR, LF or NUL: both formats
/// escape control characters.
public enum DistinguishedNameFormatter {
    /// `dn` rendered in `format`.
    public static func string(_ dn: DistinguishedName, format: DNFormat) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        var firstRDN = true
        for rdn in dn.reversed() {
            if !firstRDN {
                output.append(UInt8(ascii: ","))
            }
            firstRDN = false
            var firstAttribute = true
            for attribute in rdn.reversed() {
                if !firstAttribute {
                    output.append(UInt8(ascii: "+"))
                }
                firstAttribute = false
                let value = AttributeValueText(attribute.value)
                switch format {
                case .openssl:
                    Self.appendOpenSSL(type: attribute.type, value: value, to: &output)
                case .rfc4514:
                    Self.appendRFC4514(type: attribute.type, value: value, to: &output)
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: OpenSSL `-nameopt RFC2253`

    /// One `type=value` as OpenSSL 3 prints it with `XN_FLAG_RFC2253` (crypto/x509/a_strex.c):
    /// known types by short name with their text escaped (`ASN1_STRFLGS_RFC2253`); unknown types
    /// dotted with `#` + upper-case hex of the DER (`XN_FLAG_DUMP_UNKNOWN_FIELDS`); non-string values
    /// of known types likewise dumped (`ASN1_STRFLGS_DUMP_UNKNOWN | ASN1_STRFLGS_DUMP_DER`).
    static func appendOpenSSL(type: ASN1ObjectIdentifier, value: AttributeValueText, to output: inout [UInt8]) {
        guard let name = AttributeTypeRegistry.opensslName(for: type) else {
            output.append(contentsOf: type.description.utf8)
            output.append(UInt8(ascii: "="))
            Self.appendHexDump(value.der, uppercase: true, to: &output)
            return
        }
        output.append(contentsOf: name.utf8)
        output.append(UInt8(ascii: "="))
        guard let scalars = value.scalars else {
            Self.appendHexDump(value.der, uppercase: true, to: &output)
            return
        }
        Self.appendOpenSSLEscaped(scalars, to: &output)
    }

    /// OpenSSL's `do_buf`/`do_esc_char` with `ASN1_STRFLGS_RFC2253`: each character is converted to
    /// UTF-8 and every byte above 0x7F is written `\XX`; control characters and DEL are `\XX`;
    /// `" + , ; < > \` get a backslash; a space is escaped only as the first or last character and
    /// `#` only as the first. OpenSSL decides "first" and "last" per character with "last" winning,
    /// so a one-character value `#` is printed bare; we reproduce that quirk.
    static func appendOpenSSLEscaped(_ scalars: [Unicode.Scalar], to output: inout [UInt8]) {
        let lastIndex = scalars.count - 1
        for (index, scalar) in scalars.enumerated() {
            let isLast = index == lastIndex
            let isFirst = index == 0 && !isLast
            guard scalar.value < 0x80 else {
                for byte in UTF8.encode(scalar).map(Array.init) ?? [] {
                    output.append(UInt8(ascii: "\\"))
                    HexEncoding.append(byte, uppercase: true, to: &output)
                }
                continue
            }
            let byte = UInt8(scalar.value)
            switch byte {
            case 0x00...0x1F, 0x7F:
                output.append(UInt8(ascii: "\\"))
                HexEncoding.append(byte, uppercase: true, to: &output)
            case UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: " ") where isFirst || isLast:
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: "#") where isFirst:
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            default:
                output.append(byte)
            }
        }
    }

    // MARK: strict RFC 4514

    /// One `type=value` per RFC 4514 §2.3/§2.4: the nine short names with their string value, any
    /// other type as a dotted OID with `#` + lower-case hex of the value's DER (as Java and Go
    /// print it). A short-named type whose value is not a directory string is also `#hex`.
    static func appendRFC4514(type: ASN1ObjectIdentifier, value: AttributeValueText, to output: inout [UInt8]) {
        guard let name = AttributeTypeRegistry.rfc4514Name(for: type) else {
            output.append(contentsOf: type.description.utf8)
            output.append(UInt8(ascii: "="))
            Self.appendHexDump(value.der, uppercase: false, to: &output)
            return
        }
        output.append(contentsOf: name.utf8)
        output.append(UInt8(ascii: "="))
        guard let tag = value.tag, tag.isDirectoryString, let scalars = value.scalars else {
            Self.appendHexDump(value.der, uppercase: false, to: &output)
            return
        }
        Self.appendRFC4514Escaped(scalars, to: &output)
    }

    /// RFC 4514 §2.4 escaping: `" + , ; < > \` anywhere, a leading space or `#`, a trailing space,
    /// NUL as `\00`. We also write other ASCII control characters as `\XX` (allowed by §2.4, and it
    /// keeps CR/LF out of header values). Other characters, including non-ASCII, are written as
    /// UTF-8.
    static func appendRFC4514Escaped(_ scalars: [Unicode.Scalar], to output: inout [UInt8]) {
        let lastIndex = scalars.count - 1
        for (index, scalar) in scalars.enumerated() {
            guard scalar.value < 0x80 else {
                output.append(contentsOf: UTF8.encode(scalar).map(Array.init) ?? [])
                continue
            }
            let byte = UInt8(scalar.value)
            switch byte {
            case 0x00...0x1F, 0x7F:
                output.append(UInt8(ascii: "\\"))
                HexEncoding.append(byte, uppercase: true, to: &output)
            case UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: " ") where index == 0 || index == lastIndex:
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: "#") where index == 0:
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            default:
                output.append(byte)
            }
        }
    }

    private static func appendHexDump(_ der: [UInt8], uppercase: Bool, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "#"))
        for byte in der {
            HexEncoding.append(byte, uppercase: uppercase, to: &output)
        }
    }
}
