import SwiftASN1

/// The parser behind ``ParsedDistinguishedName/init(parsing:)``: RFC 4514 strings and the OpenSSL
/// slash form, over UTF-8 bytes.
struct DistinguishedNameParser {
    typealias Attribute = ParsedDistinguishedName.Attribute

    /// A `#` value: DER, or the literal text `#` (see `parseHexValue`).
    private enum HexValue {
        case der([UInt8])
        case text(String)
    }

    private let bytes: [UInt8]
    private var index: Int = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The RDNs in RFC 4514 order (most specific first).
    mutating func parse() throws -> [[Attribute]] {
        if let nul = self.bytes.firstIndex(of: 0) {
            throw DistinguishedNameParseError(position: nul, reason: .nulCharacter)
        }
        self.skipSpaces()
        guard self.index < self.bytes.count else { return [] }
        if self.bytes[self.index] == UInt8(ascii: "/") {
            return try self.parseSlashForm()
        }
        return try self.parseRFC4514()
    }

    // MARK: RFC 4514

    private mutating func parseRFC4514() throws -> [[Attribute]] {
        var rdns: [[Attribute]] = []
        var rdn: [Attribute] = []
        while true {
            rdn.append(try self.parseAttribute(slashForm: false))
            self.skipSpaces()
            guard self.index < self.bytes.count else {
                rdns.append(rdn)
                return rdns
            }
            switch self.bytes[self.index] {
            case UInt8(ascii: "+"):
                self.index += 1
            case UInt8(ascii: ","):
                self.index += 1
                rdns.append(rdn)
                rdn = []
            default:
                throw self.unexpectedCharacter()
            }
            self.skipSpaces()
            guard self.index < self.bytes.count else {
                throw DistinguishedNameParseError(position: self.index, reason: .unexpectedEnd)
            }
        }
    }

    // MARK: OpenSSL slash form

    /// `/C=GB/O=Org/CN=x`: most significant first, so the RDNs are reversed on return. A `\` takes
    /// the next character literally (as OpenSSL's `-subj`); `+` starts another attribute of the
    /// same RDN only when followed by `type=`, otherwise it is part of the value.
    private mutating func parseSlashForm() throws -> [[Attribute]] {
        var rdns: [[Attribute]] = []
        while self.index < self.bytes.count {
            // At a '/'.
            self.index += 1
            self.skipSpaces()
            if self.index >= self.bytes.count { break }  // trailing '/'
            var rdn: [Attribute] = []
            while true {
                rdn.append(try self.parseAttribute(slashForm: true))
                guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "+") else { break }
                self.index += 1
                self.skipSpaces()
            }
            rdns.append(rdn)
        }
        return rdns.reversed()
    }

    // MARK: attributes

    private mutating func parseAttribute(slashForm: Bool) throws -> Attribute {
        self.skipSpaces()
        let type = try self.parseAttributeType()
        self.skipSpaces()
        guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "=") else {
            throw DistinguishedNameParseError(position: self.index, reason: .expectedEquals)
        }
        self.index += 1
        self.skipSpaces()
        if !slashForm, self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "#") {
            switch try self.parseHexValue() {
            case .der(let der): return Attribute(type: type, der: der)
            case .text(let text): return Attribute(type: type, value: text)
            }
        }
        if !slashForm, self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") {
            return Attribute(type: type, value: try self.parseQuotedValue())
        }
        return Attribute(type: type, value: try self.parseStringValue(slashForm: slashForm))
    }

    private mutating func parseAttributeType() throws -> ASN1ObjectIdentifier {
        let start = self.index
        var end = start
        while end < self.bytes.count, Self.isKeywordByte(self.bytes[end]) || self.bytes[end] == UInt8(ascii: ".") {
            end += 1
        }
        guard end > start else {
            throw DistinguishedNameParseError(position: start, reason: .expectedAttributeType)
        }
        var text = String(decoding: self.bytes[start..<end], as: UTF8.self)
        if text.count > 4, text.prefix(4).lowercased() == "oid." {
            text.removeFirst(4)
        }
        self.index = end
        if let first = text.utf8.first, Self.isDigit(first) {
            guard text.utf8.allSatisfy({ Self.isDigit($0) || $0 == UInt8(ascii: ".") }),
                let oid = try? ASN1ObjectIdentifier(dotRepresentation: text)
            else {
                throw DistinguishedNameParseError(position: start, reason: .invalidObjectIdentifier(text))
            }
            return oid
        }
        guard !text.contains("."), let oid = AttributeTypeRegistry.oid(forKeyword: text) else {
            throw DistinguishedNameParseError(position: start, reason: .unknownAttributeType(text))
        }
        return oid
    }

    /// `#` followed by hex digits holding exactly one DER element (RFC 4514 form only; OpenSSL's
    /// slash form has no hex values).
    private mutating func parseHexValue() throws -> HexValue {
        let start = self.index
        self.index += 1
        // OpenSSL prints a one-character value `#` unescaped; accept it as text.
        var probe = self
        probe.skipSpaces()
        if probe.index == probe.bytes.count || probe.isValueTerminator(probe.bytes[probe.index], slashForm: false) {
            self = probe
            return .text("#")
        }
        let digitsStart = self.index
        while self.index < self.bytes.count, HexEncoding.value(ofDigit: self.bytes[self.index]) != nil {
            self.index += 1
        }
        guard let der = HexEncoding.decode(self.bytes[digitsStart..<self.index]), !der.isEmpty,
            (try? DER.parse(der)) != nil
        else {
            throw DistinguishedNameParseError(position: start, reason: .invalidHexValue)
        }
        self.skipSpaces()
        if self.index < self.bytes.count, !self.isValueTerminator(self.bytes[self.index], slashForm: false) {
            throw DistinguishedNameParseError(position: self.index, reason: .invalidHexValue)
        }
        return .der(der)
    }

    private mutating func parseQuotedValue() throws -> String {
        let start = self.index
        self.index += 1
        var value: [UInt8] = []
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                self.index += 1
                return try self.decodeUTF8(value, at: start)
            }
            if byte == UInt8(ascii: "\\") {
                value.append(try self.parseEscape(slashForm: false))
            } else {
                value.append(byte)
                self.index += 1
            }
        }
        throw DistinguishedNameParseError(position: start, reason: .unterminatedQuotedValue)
    }

    private mutating func parseStringValue(slashForm: Bool) throws -> String {
        let start = self.index
        var value: [UInt8] = []
        // Length of `value` up to and including the last escaped byte: unescaped trailing spaces
        // are insignificant (RFC 4514 requires a trailing space to be escaped).
        var protectedLength = 0
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if self.isValueTerminator(byte, slashForm: slashForm) {
                if byte != UInt8(ascii: "+") || !slashForm || self.startsAttribute(at: self.index + 1) {
                    break
                }
            }
            if byte == UInt8(ascii: "\\") {
                value.append(try self.parseEscape(slashForm: slashForm))
                protectedLength = value.count
                continue
            }
            if !slashForm, byte == UInt8(ascii: ";") {
                throw self.unexpectedCharacter()
            }
            value.append(byte)
            self.index += 1
        }
        var end = value.count
        while end > protectedLength, value[end - 1] == UInt8(ascii: " ") {
            end -= 1
        }
        return try self.decodeUTF8(Array(value[..<end]), at: start)
    }

    /// At a `\`: returns the escaped byte. `\XX` is a hex pair (RFC 4514 form only); any other
    /// character is taken literally.
    private mutating func parseEscape(slashForm: Bool) throws -> UInt8 {
        let position = self.index
        self.index += 1
        guard self.index < self.bytes.count else {
            throw DistinguishedNameParseError(position: position, reason: .invalidEscape)
        }
        let next = self.bytes[self.index]
        if !slashForm, let high = HexEncoding.value(ofDigit: next) {
            guard self.index + 1 < self.bytes.count, let low = HexEncoding.value(ofDigit: self.bytes[self.index + 1])
            else {
                throw DistinguishedNameParseError(position: position, reason: .invalidEscape)
            }
            self.index += 2
            return high << 4 | low
        }
        self.index += 1
        return next
    }

    private func isValueTerminator(_ byte: UInt8, slashForm: Bool) -> Bool {
        if slashForm {
            return byte == UInt8(ascii: "/") || byte == UInt8(ascii: "+")
        }
        return byte == UInt8(ascii: ",") || byte == UInt8(ascii: "+")
    }

    /// Whether `type=` (a known keyword or a dotted OID) starts at `position`.
    private func startsAttribute(at position: Int) -> Bool {
        var probe = self
        probe.index = position
        probe.skipSpaces()
        guard (try? probe.parseAttributeType()) != nil else { return false }
        probe.skipSpaces()
        return probe.index < probe.bytes.count && probe.bytes[probe.index] == UInt8(ascii: "=")
    }

    private func decodeUTF8(_ value: [UInt8], at position: Int) throws -> String {
        guard let string = String(validating: value, as: UTF8.self) else {
            throw DistinguishedNameParseError(position: position, reason: .invalidUTF8)
        }
        return string
    }

    private func unexpectedCharacter() -> DistinguishedNameParseError {
        let scalar = Unicode.Scalar(self.bytes[self.index])
        return DistinguishedNameParseError(position: self.index, reason: .unexpectedCharacter(Character(scalar)))
    }

    private mutating func skipSpaces() {
        while self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: " ") {
            self.index += 1
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isKeywordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
