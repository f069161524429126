extension AccessLogLineParser {
    /// A single-pass scanner for one flat JSON object (RFC 8259) over the bytes of one line.
    ///
    /// It validates the grammar (strings, escapes, numbers, literals, nesting) but builds nothing:
    /// each member's value is recorded as a ``ValueSpan`` into the line, and only values someone
    /// asks for are ever decoded. Nested objects and arrays are validated and skipped.
    ///
    /// Why hand-rolled: `JSONSerialization` builds a dictionary of bridged objects per line; on a
    /// 1 GB log that allocation dominates. Why strict grammar: a truncated or interleaved line
    /// (a crash mid-write, two writers on one file) must be counted as malformed, not half-read.
    struct Scanner {
        private let bytes: UnsafeBufferPointer<UInt8>
        private var index = 0
        /// Nested composites deeper than this are rejected (no access-log line nests at all).
        private static let maximumDepth = 32

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// Scans the whole line as one object; `false` if it is not exactly one JSON object
        /// (optionally surrounded by whitespace).
        mutating func scanObject(into spans: inout FieldSpans, keys: KeyTable) -> Bool {
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: "{")) else {
                return false
            }
            self.skipWhitespace()
            if !self.consume(UInt8(ascii: "}")) {
                var expected = 0
                while true {
                    guard let field = self.scanKey(keys: keys, expected: expected) else {
                        return false
                    }
                    self.skipWhitespace()
                    guard self.consume(UInt8(ascii: ":")) else {
                        return false
                    }
                    self.skipWhitespace()
                    guard let span = self.scanValue(depth: 0) else {
                        return false
                    }
                    if field >= 0 {
                        spans[field] = span
                        expected = field + 1
                    }
                    self.skipWhitespace()
                    if self.consume(UInt8(ascii: ",")) {
                        self.skipWhitespace()
                        continue
                    }
                    guard self.consume(UInt8(ascii: "}")) else {
                        return false
                    }
                    break
                }
            }
            self.skipWhitespace()
            return self.index == self.bytes.count
        }

        /// A member name: the ``Field`` index it names, `-1` for a key outside the contract, or
        /// `nil` if it is not a valid string.
        private mutating func scanKey(keys: KeyTable, expected: Int) -> Int? {
            guard let span = self.scanString() else {
                return nil
            }
            if span.kind == .escapedString {
                // Keys are plain ASCII in the writer's output; an escaped key is decoded first.
                var decoded: [UInt8] = []
                guard AccessLogLineParser.unescape(self.slice(span), into: &decoded) else {
                    return nil
                }
                return decoded.withUnsafeBufferPointer { keys.field($0, expected: expected) } ?? -1
            }
            return keys.field(self.slice(span), expected: expected) ?? -1
        }

        private func slice(_ span: ValueSpan) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: self.bytes[span.start..<(span.start + span.count)])
        }

        private mutating func scanValue(depth: Int) -> ValueSpan? {
            guard self.index < self.bytes.count else {
                return nil
            }
            switch self.bytes[self.index] {
            case UInt8(ascii: "\""):
                return self.scanString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return self.scanNumber()
            case UInt8(ascii: "t"):
                return self.scanLiteral("true", kind: .true)
            case UInt8(ascii: "f"):
                return self.scanLiteral("false", kind: .false)
            case UInt8(ascii: "n"):
                return self.scanLiteral("null", kind: .null)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                return self.scanComposite(depth: depth)
            default:
                return nil
            }
        }

        /// A string starting at the opening quote. Raw control characters are invalid (RFC 8259
        /// §7) and so is an unknown escape; `\u` must be followed by four hex digits.
        private mutating func scanString() -> ValueSpan? {
            guard self.consume(UInt8(ascii: "\"")) else {
                return nil
            }
            let start = self.index
            var escaped = false
            let count = self.bytes.count
            while self.index < count {
                self.skipPlainStringBytes()
                guard self.index < count else {
                    break
                }
                let byte = self.bytes[self.index]
                if byte == UInt8(ascii: "\"") {
                    let span = ValueSpan(kind: escaped ? .escapedString : .string, start: start, end: self.index)
                    self.index += 1
                    return span
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    guard self.index + 1 < count else {
                        return nil
                    }
                    switch self.bytes[self.index + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        self.index += 2
                    case UInt8(ascii: "u"):
                        guard self.index + 5 < count else {
                            return nil
                        }
                        for offset in 2...5 where AccessLogLineParser.hexValue(self.bytes[self.index + offset]) == nil {
                            return nil
                        }
                        self.index += 6
                    default:
                        return nil
                    }
                    continue
                }
                if byte < 0x20 {
                    return nil
                }
                self.index += 1
            }
            return nil
        }

        /// Advances over string bytes that need no attention (not `"`, `\\` or a control
        /// character), eight at a time: the bulk of a log line is string content, and testing a
        /// word at once (the classic "has zero byte" bit trick) is several times faster than
        /// testing byte by byte.
        private mutating func skipPlainStringBytes() {
            guard let base = self.bytes.baseAddress else {
                return
            }
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while self.index + 8 <= self.bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: self.index, as: UInt64.self)
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let special =
                    ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                if special & highs != 0 {
                    return
                }
                self.index += 8
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        private mutating func scanNumber() -> ValueSpan? {
            let start = self.index
            _ = self.consume(UInt8(ascii: "-"))
            if self.consume(UInt8(ascii: "0")) {
                // A leading zero stands alone.
            } else if self.skipDigits() == 0 {
                return nil
            }
            if self.consume(UInt8(ascii: ".")), self.skipDigits() == 0 {
                return nil
            }
            if self.consume(UInt8(ascii: "e")) || self.consume(UInt8(ascii: "E")) {
                if !self.consume(UInt8(ascii: "+")) {
                    _ = self.consume(UInt8(ascii: "-"))
                }
                if self.skipDigits() == 0 {
                    return nil
                }
            }
            return ValueSpan(kind: .number, start: start, end: self.index)
        }

        private mutating func skipDigits() -> Int {
            let start = self.index
            while self.index < self.bytes.count, self.bytes[self.index] &- UInt8(ascii: "0") < 10 {
                self.index += 1
            }
            return self.index - start
        }

        private mutating func scanLiteral(_ literal: StaticString, kind: ValueKind) -> ValueSpan? {
            let start = self.index
            let length = literal.utf8CodeUnitCount
            guard self.bytes.count - self.index >= length else {
                return nil
            }
            let literalBytes = UnsafeBufferPointer(start: literal.utf8Start, count: length)
            for offset in 0..<length where self.bytes[self.index + offset] != literalBytes[offset] {
                return nil
            }
            self.index += length
            return ValueSpan(kind: kind, start: start, end: self.index)
        }

        /// An object or array, validated member by member and recorded as ``ValueKind/composite``.
        private mutating func scanComposite(depth: Int) -> ValueSpan? {
            guard depth < Self.maximumDepth else {
                return nil
            }
            let start = self.index
            let isObject = self.bytes[self.index] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            self.index += 1
            self.skipWhitespace()
            if self.consume(close) {
                return ValueSpan(kind: .composite, start: start, end: self.index)
            }
            while true {
                if isObject {
                    guard self.scanString() != nil else {
                        return nil
                    }
                    self.skipWhitespace()
                    guard self.consume(UInt8(ascii: ":")) else {
                        return nil
                    }
                    self.skipWhitespace()
                }
                guard self.scanValue(depth: depth + 1) != nil else {
                    return nil
                }
                self.skipWhitespace()
                if self.consume(UInt8(ascii: ",")) {
                    self.skipWhitespace()
                    continue
                }
                guard self.consume(close) else {
                    return nil
                }
                return ValueSpan(kind: .composite, start: start, end: self.index)
            }
        }

        private mutating func skipWhitespace() {
            while self.index < self.bytes.count {
                switch self.bytes[self.index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    self.index += 1
                default:
                    return
                }
            }
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard self.index < self.bytes.count, self.bytes[self.index] == byte else {
                return false
            }
            self.index += 1
            return true
        }
    }
}
