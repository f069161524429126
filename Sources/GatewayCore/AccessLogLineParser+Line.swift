import Foundation

extension AccessLogLineParser {
    /// One parsed access-log line: the bytes as logged plus where each known member's value is.
    ///
    /// Values are decoded on demand, so filtering a line costs no allocation. The line shares the
    /// storage it was parsed from (copy-on-write), so it stays valid after the reader moves on.
    public struct Line: Sendable {
        /// What kind of event the line records.
        public enum Kind: Sendable, Hashable {
            /// `event` = `request`: a proxied (or gateway-answered) request.
            case request
            /// `event` = `tls_handshake_failed`.
            case handshakeFailed
            /// Another connection-level event (`connection_rejected`, `tls_resumption_rejected`, …).
            case connection
        }

        private let storage: [UInt8]
        private let range: Range<Int>
        private let spans: FieldSpans
        /// `time` in milliseconds since 1970-01-01T00:00:00Z.
        public let timeMilliseconds: Int64
        /// What kind of event the line records.
        public let kind: Kind

        init(storage: [UInt8], range: Range<Int>, spans: FieldSpans, timeMilliseconds: Int64, kind: Kind) {
            self.storage = storage
            self.range = range
            self.spans = spans
            self.timeMilliseconds = timeMilliseconds
            self.kind = kind
        }

        /// The line exactly as logged (without its newline).
        public var text: String {
            self.withRawBytes { String(decoding: $0, as: UTF8.self) }
        }

        /// Calls `body` with the line's bytes as logged, e.g. to copy them to an output buffer.
        public func withRawBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
            try self.storage.withUnsafeBufferPointer { buffer in
                try body(UnsafeBufferPointer(rebasing: buffer[self.range]))
            }
        }

        /// Whether `field` is present with a non-null value.
        public func has(_ field: Field) -> Bool {
            let kind = self.spans[field].kind
            return kind != .absent && kind != .null
        }

        /// The value of `field` as text: strings decoded, numbers and booleans as written;
        /// `nil` when absent, `null`, or an object or array.
        public func string(_ field: Field) -> String? {
            guard let bytes = self.decodedBytes(field) else {
                return nil
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// The value of `field` as an integer, if it is a JSON number without fraction or exponent.
        public func integer(_ field: Field) -> Int? {
            let span = self.spans[field]
            guard span.kind == .number else {
                return nil
            }
            return self.withValue(span) { bytes -> Int? in
                var value = 0
                var index = 0
                let negative = bytes.first == UInt8(ascii: "-")
                if negative {
                    index = 1
                }
                guard index < bytes.count, bytes.count - index <= 18 else {
                    return nil
                }
                while index < bytes.count {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else {
                        return nil
                    }
                    value = value * 10 + Int(digit)
                    index += 1
                }
                return negative ? -value : value
            }
        }

        /// The value of `field` as a number (e.g. `duration_ms`), if it is a JSON number.
        public func number(_ field: Field) -> Double? {
            guard let microseconds = self.microseconds(field) else {
                guard self.spans[field].kind == .number, let text = self.string(field) else {
                    return nil
                }
                return Double(text)
            }
            return Double(microseconds) / 1000
        }

        /// The value of `field` (milliseconds with at most three decimals, as the writer renders
        /// durations) in whole microseconds, parsed exactly without floating point; `nil` for any
        /// other shape.
        func microseconds(_ field: Field) -> Int64? {
            let span = self.spans[field]
            guard span.kind == .number else {
                return nil
            }
            return self.withValue(span) { bytes -> Int64? in
                var whole: Int64 = 0
                var index = 0
                while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                    whole = whole * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                }
                guard index > 0, index <= 15 else {
                    return nil
                }
                var fraction: Int64 = 0
                var scale: Int64 = 100
                if index < bytes.count {
                    guard bytes[index] == UInt8(ascii: "."), bytes.count - index - 1 <= 3 else {
                        return nil
                    }
                    index += 1
                    while index < bytes.count {
                        let digit = bytes[index] &- UInt8(ascii: "0")
                        guard digit < 10 else {
                            return nil
                        }
                        fraction += Int64(digit) * scale
                        scale /= 10
                        index += 1
                    }
                }
                return whole * 1000 + fraction
            }
        }

        /// The value of `field` as a boolean, if it is `true` or `false`.
        public func bool(_ field: Field) -> Bool? {
            switch self.spans[field].kind {
            case .true:
                return true
            case .false:
                return false
            default:
                return nil
            }
        }

        /// Whether the string value of `field` equals `value` (UTF-8, exact).
        func value(of field: Field, equals value: [UInt8]) -> Bool {
            let span = self.spans[field]
            switch span.kind {
            case .string:
                return span.count == value.count
                    && self.withValue(span) { bytes in
                        value.withUnsafeBufferPointer { expected in
                            guard let base = bytes.baseAddress, let expectedBase = expected.baseAddress else {
                                return bytes.count == expected.count
                            }
                            return memcmp(base, expectedBase, bytes.count) == 0
                        }
                    }
            case .escapedString:
                return self.decodedBytes(field) == value
            default:
                return false
            }
        }

        /// Whether the string value of `field` contains `needle`, comparing ASCII letters without
        /// regard to case (`needle` must already be lowercase).
        func value(of field: Field, containsLowercased needle: [UInt8]) -> Bool {
            let span = self.spans[field]
            guard span.isString else {
                return false
            }
            if span.kind == .escapedString {
                guard let decoded = self.decodedBytes(field) else {
                    return false
                }
                return decoded.withUnsafeBufferPointer { Self.contains($0, lowercased: needle) }
            }
            return self.withValue(span) { Self.contains($0, lowercased: needle) }
        }

        private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, lowercased needle: [UInt8]) -> Bool {
            guard !needle.isEmpty else {
                return true
            }
            guard haystack.count >= needle.count else {
                return false
            }
            let lower = { (byte: UInt8) -> UInt8 in byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte }
            for start in 0...(haystack.count - needle.count) where lower(haystack[start]) == needle[0] {
                var offset = 1
                while offset < needle.count, lower(haystack[start + offset]) == needle[offset] {
                    offset += 1
                }
                if offset == needle.count {
                    return true
                }
            }
            return false
        }

        /// The value's bytes with JSON escapes decoded; `nil` when absent, `null` or composite.
        func decodedBytes(_ field: Field) -> [UInt8]? {
            let span = self.spans[field]
            switch span.kind {
            case .absent, .null, .composite:
                return nil
            case .escapedString:
                return self.withValue(span) { bytes -> [UInt8]? in
                    var decoded: [UInt8] = []
                    return AccessLogLineParser.unescape(bytes, into: &decoded) ? decoded : nil
                }
            case .string, .number, .true, .false:
                return self.withValue(span) { Array($0) }
            }
        }

        private func withValue<Result>(_ span: ValueSpan, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            self.withRawBytes { line in
                body(AccessLogLineParser.slice(line, span))
            }
        }
    }
}
