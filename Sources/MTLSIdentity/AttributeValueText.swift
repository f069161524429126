import SwiftASN1
import X509

/// The DER bytes of a distinguished-name attribute value and, for the string types, its text.
///
/// Why from DER: swift-certificates normalises values into Swift strings where it can and keeps
/// anything else (a PrintableString with `@`, a T61String, a BMPString) as raw ASN.1. Rendering
/// like OpenSSL and comparing by RFC 4517 need the original tag, so every value is looked at as
/// the TLV it was in the certificate.
struct AttributeValueText {
    /// Universal tag numbers whose content is text.
    enum StringTag: UInt8 {
        case utf8String = 12
        case numericString = 18
        case printableString = 19
        case teletexString = 20
        case ia5String = 22
        case utcTime = 23
        case generalizedTime = 24
        case visibleString = 26
        case universalString = 28
        case bmpString = 30

        /// Whether RFC 4514 / LDAP treat the type as a directory string (times are not).
        var isDirectoryString: Bool {
            self != .utcTime && self != .generalizedTime
        }
    }

    /// The full TLV.
    let der: [UInt8]
    /// The string tag, when the value is a primitive universal string type.
    let tag: StringTag?
    /// The decoded characters, when `tag` is set and the content decodes.
    let scalars: [Unicode.Scalar]?

    init(_ value: RelativeDistinguishedName.Attribute.Value) {
        var serializer = DER.Serializer()
        let der: [UInt8]
        if (try? serializer.serialize(ASN1Any(value))) != nil {
            der = serializer.serializedBytes
        } else {
            der = []
        }
        self.init(der: der)
    }

    init(der: [UInt8]) {
        self.der = der
        guard let (tagByte, content) = Self.primitiveContent(of: der),
            let tag = StringTag(rawValue: tagByte)
        else {
            self.tag = nil
            self.scalars = nil
            return
        }
        self.tag = tag
        self.scalars = Self.decode(content, tag: tag)
    }

    /// The text as a Swift string, when the value is a decodable string type.
    var text: String? {
        guard let scalars = self.scalars else { return nil }
        var string = ""
        string.unicodeScalars.append(contentsOf: scalars)
        return string
    }

    /// `(tag byte, content)` of a single-byte-tag primitive TLV that spans all of `der`.
    static func primitiveContent(of der: [UInt8]) -> (UInt8, ArraySlice<UInt8>)? {
        guard der.count >= 2 else { return nil }
        let tag = der[0]
        // Universal class, primitive, low tag number.
        guard tag & 0xE0 == 0, tag & 0x1F != 0x1F else { return nil }
        var index = 1
        let first = der[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, der.count >= index + count else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(der[index])
                index += 1
            }
        }
        guard der.count - index == length else { return nil }
        return (tag, der[index...])
    }

    private static func decode(_ content: ArraySlice<UInt8>, tag: StringTag) -> [Unicode.Scalar]? {
        switch tag {
        case .utf8String:
            var scalars: [Unicode.Scalar] = []
            var decoder = UTF8()
            var iterator = content.makeIterator()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): scalars.append(scalar)
                case .emptyInput: break loop
                case .error: return nil
                }
            }
            return scalars
        case .bmpString:
            return Self.decodeFixedWidth(content, width: 2)
        case .universalString:
            return Self.decodeFixedWidth(content, width: 4)
        default:
            // One byte per character (OpenSSL treats these as Latin-1).
            return content.map { Unicode.Scalar($0) }
        }
    }

    private static func decodeFixedWidth(_ content: ArraySlice<UInt8>, width: Int) -> [Unicode.Scalar]? {
        guard content.count % width == 0 else { return nil }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(content.count / width)
        var index = content.startIndex
        while index < content.endIndex {
            var value: UInt32 = 0
            for offset in 0..<width {
                value = value << 8 | UInt32(content[index + offset])
            }
            guard let scalar = Unicode.Scalar(value) else { return nil }
            scalars.append(scalar)
            index += width
        }
        return scalars
    }
}
