/// Why JSON parsing failed.
public enum JSONValueError: Error, Sendable, Hashable {
    /// The bytes are not a JSON document.
    case malformed
    /// An object has two members with the same name (RFC 7515 §4, RFC 7519 §4: rejected).
    case duplicateMember
    /// The document exceeds the size limit given to ``JSONValue/parse(_:maximumLength:)``.
    case tooLarge(limit: Int)
}

extension JSONValue {
    /// Parses a complete JSON document (RFC 8259) of at most `maximumLength` bytes.
    ///
    /// Strict (see `JSONParser`): duplicate object members are an error, as RFC 7515 §4 and
    /// RFC 7519 §4 allow for JOSE headers and claims, so that no two parsers can disagree on what a
    /// token says.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        maximumLength: Int = 65_536
    ) throws(JSONValueError) -> JSONValue {
        guard bytes.count <= maximumLength else {
            throw .tooLarge(limit: maximumLength)
        }
        var parser = JSONParser(Array(bytes))
        do {
            return try parser.parseDocument()
        } catch .duplicateMember {
            throw .duplicateMember
        } catch {
            throw .malformed
        }
    }

    /// The compact serialisation with object keys sorted (byte order of their UTF-8), so equal
    /// values always serialise to equal bytes. `/` is not escaped; non-ASCII is emitted as UTF-8.
    public func serialized() -> String {
        var output = ""
        self.write(to: &output)
        return output
    }

    /// ``serialized()`` as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        Array(self.serialized().utf8)
    }

    private func write(to output: inout String) {
        switch self {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .integer(let value):
            output += String(value)
        case .number(let value):
            Self.writeNumber(value, to: &output)
        case .string(let value):
            Self.writeString(value, to: &output)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key, default: .null].write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeNumber(_ value: Double, to output: inout String) {
        guard value.isFinite else {
            // JSON has no representation for NaN or infinities.
            output += "null"
            return
        }
        if value == value.rounded(), abs(value) < 9.0e15 {
            output += String(Int64(value))
        } else {
            output += String(value)
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
