/// A strict RFC 8259 parser for ``JSONValue``.
///
/// Why not `JSONDecoder`: Foundation keeps the *first* of duplicate object members, while RFC 7515
/// §4 and RFC 7519 §4 require a JOSE recipient to reject duplicates or keep the *last*. Two parsers
/// reading `{"alg":"none","alg":"PS256"}` differently is a known source of verification bypasses,
/// so duplicates are rejected outright. Also refused: trailing garbage, comments, trailing commas,
/// leading zeros, `NaN`, unescaped control characters, lone surrogates, invalid UTF-8, and nesting
/// deeper than ``maximumDepth``.
struct JSONParser {
    enum Failure: Error {
        case malformed
        case duplicateMember
    }

    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one complete document.
    mutating func parseDocument() throws(Failure) -> JSONValue {
        self.skipWhitespace()
        let value = try self.parseValue()
        self.skipWhitespace()
        guard self.position == self.bytes.count else { throw .malformed }
        return value
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard let byte = self.peek() else { throw .malformed }
        switch byte {
        case UInt8(ascii: "{"): return try self.parseObject()
        case UInt8(ascii: "["): return try self.parseArray()
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): return try self.literal("true", .bool(true))
        case UInt8(ascii: "f"): return try self.literal("false", .bool(false))
        case UInt8(ascii: "n"): return try self.literal("null", .null)
        default: return try self.parseNumber()
        }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try self.enter()
        self.position += 1
        var members: [String: JSONValue] = [:]
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.position += 1
            self.depth -= 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\"") else { throw .malformed }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.next() == UInt8(ascii: ":") else { throw .malformed }
            self.skipWhitespace()
            let value = try self.parseValue()
            guard members.updateValue(value, forKey: key) == nil else { throw .duplicateMember }
            self.skipWhitespace()
            switch self.next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"):
                self.depth -= 1
                return .object(members)
            default: throw .malformed
            }
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        try self.enter()
        self.position += 1
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "]") {
            self.position += 1
            self.depth -= 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.parseValue())
            self.skipWhitespace()
            switch self.next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"):
                self.depth -= 1
                return .array(elements)
            default: throw .malformed
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        self.position += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush(_ run: inout [UInt8], into scalars: inout String.UnicodeScalarView) throws(Failure) {
            guard !run.isEmpty else { return }
            guard let text = String(validating: run, as: UTF8.self) else { throw .malformed }
            scalars.append(contentsOf: text.unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        while let byte = self.next() {
            switch byte {
            case UInt8(ascii: "\""):
                try flush(&run, into: &scalars)
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush(&run, into: &scalars)
                scalars.append(try self.parseEscape())
            case 0x00..<0x20:
                throw .malformed
            default:
                run.append(byte)
            }
        }
        throw .malformed
    }

    private mutating func parseEscape() throws(Failure) -> Unicode.Scalar {
        guard let byte = self.next() else { throw .malformed }
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try self.hexQuad()
            if (0xD800..<0xDC00).contains(unit) {
                guard self.next() == UInt8(ascii: "\\"), self.next() == UInt8(ascii: "u") else { throw .malformed }
                let low = try self.hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw .malformed }
                let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw .malformed }
                return scalar
            }
            guard let scalar = Unicode.Scalar(UInt32(unit)) else { throw .malformed }
            return scalar
        default:
            throw .malformed
        }
    }

    private mutating func hexQuad() throws(Failure) -> UInt16 {
        guard self.position + 4 <= self.bytes.count,
            let value = UInt16(
                String(decoding: self.bytes[self.position..<self.position + 4], as: UTF8.self),
                radix: 16
            )
        else {
            throw .malformed
        }
        self.position += 4
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = self.position
        var isInteger = true
        if self.peek() == UInt8(ascii: "-") { self.position += 1 }
        if self.peek() == UInt8(ascii: "0") {
            self.position += 1
        } else {
            guard self.digits() > 0 else { throw .malformed }
        }
        if self.peek() == UInt8(ascii: ".") {
            self.position += 1
            isInteger = false
            guard self.digits() > 0 else { throw .malformed }
        }
        if self.peek() == UInt8(ascii: "e") || self.peek() == UInt8(ascii: "E") {
            self.position += 1
            isInteger = false
            if self.peek() == UInt8(ascii: "+") || self.peek() == UInt8(ascii: "-") { self.position += 1 }
            guard self.digits() > 0 else { throw .malformed }
        }
        let text = String(decoding: self.bytes[start..<self.position], as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            return .integer(integer)
        }
        guard let double = Double(text), double.isFinite else { throw .malformed }
        return .number(double)
    }

    private mutating func digits() -> Int {
        var count = 0
        while let byte = self.peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            self.position += 1
            count += 1
        }
        return count
    }

    private mutating func literal(_ text: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        let expected = Array(text.utf8)
        guard self.position + expected.count <= self.bytes.count,
            self.bytes[self.position..<self.position + expected.count].elementsEqual(expected)
        else {
            throw .malformed
        }
        self.position += expected.count
        return value
    }

    private mutating func enter() throws(Failure) {
        self.depth += 1
        guard self.depth <= Self.maximumDepth else { throw .malformed }
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            self.position += 1
        }
    }

    private func peek() -> UInt8? {
        self.position < self.bytes.count ? self.bytes[self.position] : nil
    }

    private mutating func next() -> UInt8? {
        guard self.position < self.bytes.count else { return nil }
        defer { self.position += 1 }
        return self.bytes[self.position]
    }
}
