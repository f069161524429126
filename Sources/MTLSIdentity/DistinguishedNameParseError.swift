/// Why a distinguished-name string could not be parsed, and where.
public struct DistinguishedNameParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// An attribute type was expected (keyword, dotted OID or `OID.` + dotted OID).
        case expectedAttributeType
        /// The keyword is not an attribute type we know; write it as a dotted OID instead.
        case unknownAttributeType(String)
        /// A dotted OID that is not a valid object identifier.
        case invalidObjectIdentifier(String)
        /// `=` was expected after the attribute type.
        case expectedEquals
        /// A `\` escape was not followed by a character or a valid hex pair.
        case invalidEscape
        /// A `#` value that is not an even number of hex digits holding one DER element.
        case invalidHexValue
        /// A quoted value without its closing `"`.
        case unterminatedQuotedValue
        /// A character that must be escaped, or a separator in the wrong place (`;` is not an
        /// RDN separator in RFC 4514).
        case unexpectedCharacter(Character)
        /// The name ended where more was required (after `,`, `+` or `=`… a value may be empty,
        /// an RDN may not).
        case unexpectedEnd
        /// Escaped bytes that do not form UTF-8.
        case invalidUTF8
        /// A NUL byte in the input.
        case nulCharacter
    }

    /// Offset in UTF-8 bytes from the start of the input.
    public let position: Int
    /// What was wrong.
    public let reason: Reason

    /// Creates an error at `position` (UTF-8 byte offset).
    public init(position: Int, reason: Reason) {
        self.position = position
        self.reason = reason
    }

    /// A one-line explanation for logs and error descriptions.
    public var description: String {
        "invalid distinguished name at byte \(self.position): \(self.reason)"
    }
}
