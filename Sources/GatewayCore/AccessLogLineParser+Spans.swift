extension AccessLogLineParser {
    /// What kind of JSON value a member holds.
    enum ValueKind: UInt8 {
        case absent = 0
        case string
        /// A string containing at least one backslash escape: decode before use.
        case escapedString
        case number
        case `true`
        case `false`
        case null
        /// A nested object or array: skipped, never a contract field.
        case composite
    }

    /// Where a member's value sits inside its line, packed into one word: offset (bits 0–27),
    /// length (bits 28–55) and ``ValueKind`` (bits 56–63). For strings the range excludes the
    /// quotes.
    struct ValueSpan: Equatable {
        var packed: UInt64

        static let absent = ValueSpan(packed: 0)

        init(packed: UInt64) {
            self.packed = packed
        }

        init(kind: ValueKind, start: Int, end: Int) {
            self.packed =
                UInt64(truncatingIfNeeded: start) | (UInt64(truncatingIfNeeded: end - start) << 28)
                | (UInt64(kind.rawValue) << 56)
        }

        var kind: ValueKind {
            ValueKind(rawValue: UInt8(truncatingIfNeeded: self.packed >> 56)) ?? .absent
        }

        var start: Int {
            Int(truncatingIfNeeded: self.packed & 0x0FFF_FFFF)
        }

        var count: Int {
            Int(truncatingIfNeeded: (self.packed >> 28) & 0x0FFF_FFFF)
        }

        var isString: Bool {
            let kind = self.kind
            return kind == .string || kind == .escapedString
        }
    }

    /// One ``ValueSpan`` per ``Field``, stored inline (no heap allocation per line).
    ///
    /// Why a tuple: the parser runs once per log line, millions of times for a large log; an
    /// `Array` here would cost an allocation and a release per line.
    struct FieldSpans {
        private var storage:
            (
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
            ) = (
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            )

        /// The capacity of the inline storage; ``Field`` must never outgrow it.
        static let capacity = 32

        subscript(index: Int) -> ValueSpan {
            get {
                precondition(index >= 0 && index < Self.capacity)
                return withUnsafeBytes(of: self.storage) { raw in
                    ValueSpan(packed: raw.load(fromByteOffset: index &* 8, as: UInt64.self))
                }
            }
            set {
                precondition(index >= 0 && index < Self.capacity)
                withUnsafeMutableBytes(of: &self.storage) { raw in
                    raw.storeBytes(of: newValue.packed, toByteOffset: index &* 8, as: UInt64.self)
                }
            }
        }

        subscript(field: Field) -> ValueSpan {
            get { self[field.rawValue] }
            set { self[field.rawValue] = newValue }
        }
    }
}
