import SwiftASN1
import X509

/// A distinguished name as a sequence of typed attribute values, parsed liberally from the many
/// string forms in circulation and compared by RFC 4517 `distinguishedNameMatch`.
///
/// Why: the same Open Banking subject is written `organizationIdentifier=…`, `2.5.4.97=…`,
/// `2.5.4.97=#0c…`, or `/C=GB/O=…/CN=…` depending on the tool (open-banking.md §2). Comparing
/// strings would fail legitimate clients or, worse, accept a different name that happens to render
/// alike. We compare attribute types by OID and values after normalisation, never raw strings.
///
/// `==` (from `Hashable`) is structural equality of the parsed form; use ``matches(_:)`` to decide
/// whether two names denote the same entity.
public struct ParsedDistinguishedName: Sendable, Hashable {
    /// One `type=value` of an RDN.
    public struct Attribute: Sendable, Hashable {
        /// The attribute type.
        public let type: ASN1ObjectIdentifier
        /// The value as text; for a value that is not a string type, `#` + lower-case hex of its DER.
        public let value: String
        /// Whether ``value`` is a `#hex` DER dump rather than text (so a text value that merely
        /// looks like `#…` never matches a binary one).
        public let isBinary: Bool

        /// A text-valued attribute.
        public init(type: ASN1ObjectIdentifier, value: String) {
            self.type = type
            self.value = value
            self.isBinary = false
        }

        /// An attribute whose value is the DER element `der`; string types become text.
        public init(type: ASN1ObjectIdentifier, der: [UInt8]) {
            self.init(type: type, value: AttributeValueText(der: der))
        }

        init(type: ASN1ObjectIdentifier, value: AttributeValueText) {
            self.type = type
            if let tag = value.tag, tag.isDirectoryString, let text = value.text {
                self.value = text
                self.isBinary = false
            } else {
                self.value = "#" + HexEncoding.encode(value.der, uppercase: false)
                self.isBinary = true
            }
        }
    }

    /// The RDNs in RFC 4514 string order (most specific first: `CN` before `C` for Open Banking).
    public let rdns: [[Attribute]]

    /// Creates a name from RDNs in RFC 4514 string order.
    public init(rdns: [[Attribute]]) {
        self.rdns = rdns
    }

    /// Parses an RFC 4514 string (with the liberal extensions in open-banking.md §2) or the
    /// OpenSSL slash form `/C=GB/O=OpenBanking/OU=…/CN=…`.
    ///
    /// Accepted: keywords in any case (including `organizationIdentifier`, `emailAddress`/`E`,
    /// `serialNumber`, `SN` for surname as in RFC 4519, `GN`, `title`, `street`, …), dotted OIDs with
    /// or without an `OID.` prefix, `#hex` DER values with any string tag, `"quoted"` values,
    /// `\`-escapes including `\XX` UTF-8 hex pairs, spaces around `,` `+` `=`, and `+` for
    /// multi-valued RDNs. `;` is not accepted as an RDN separator (RFC 4514 dropped it) and is an
    /// error rather than silently part of a value. The empty string is the empty name.
    ///
    /// - Throws: ``DistinguishedNameParseError`` with the byte position and the reason.
    public init(parsing string: String) throws {
        var parser = DistinguishedNameParser(Array(string.utf8))
        self.rdns = try parser.parse()
    }

    /// The name of a certificate's subject or issuer.
    public init(_ dn: DistinguishedName) {
        self.rdns = dn.reversed().map { rdn in
            rdn.reversed().map { attribute in
                Attribute(type: attribute.type, value: AttributeValueText(attribute.value))
            }
        }
    }
}
