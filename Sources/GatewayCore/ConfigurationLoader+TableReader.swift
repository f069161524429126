import TOMLKit

extension ConfigurationLoader {
    /// Reads typed values out of one TOML table, reporting every wrong type, bad value and unknown
    /// key at its key path. Getters return `nil` both when a key is absent and when it is invalid
    /// (the problem is then already recorded, and the load will fail), so callers apply defaults
    /// with `??` without masking errors.
    public final class TableReader {
        /// The table being read.
        public let table: TOMLTable
        /// The key path of the table itself; empty for the document root.
        public let keyPath: String
        /// The keys this table may contain, for unknown-key detection and suggestions.
        public let knownKeys: [String]
        /// Where problems go.
        public let diagnostics: Diagnostics

        /// Creates a reader.
        public init(table: TOMLTable, keyPath: String, knownKeys: [String], diagnostics: Diagnostics) {
            self.table = table
            self.keyPath = keyPath
            self.knownKeys = knownKeys
            self.diagnostics = diagnostics
        }

        /// The key path of `key` in this table.
        public func path(_ key: String) -> String {
            self.keyPath.isEmpty ? key : "\(self.keyPath).\(key)"
        }

        /// Records a problem at `key` in this table.
        public func problem(_ key: String, _ message: String) {
            self.diagnostics.problem(self.path(key), message)
        }

        /// The raw value of `key`; reports a missing required key.
        public func value(_ key: String, required: Bool = false) -> TOMLValueConvertible? {
            guard let value = self.table[key] else {
                if required {
                    self.problem(key, "required key is missing")
                }
                return nil
            }
            return value
        }

        /// A string value.
        public func string(_ key: String, required: Bool = false) -> String? {
            guard let value = self.value(key, required: required) else { return nil }
            return Self.string(value, at: self.path(key), diagnostics: self.diagnostics)
        }

        /// An integer value, optionally with a lower bound.
        public func integer(_ key: String, minimum: Int? = nil) -> Int? {
            guard let value = self.value(key) else { return nil }
            guard let integer = value.int else {
                self.problem(key, Self.typeMismatch(expected: "an integer", got: value))
                return nil
            }
            if let minimum, integer < minimum {
                self.problem(key, "must be at least \(minimum), got \(integer)")
                return nil
            }
            return integer
        }

        /// A boolean value.
        public func bool(_ key: String) -> Bool? {
            guard let value = self.value(key) else { return nil }
            guard let bool = value.bool else {
                self.problem(key, Self.typeMismatch(expected: "a boolean (true or false)", got: value))
                return nil
            }
            return bool
        }

        /// A duration string (see ``DurationParser``); zero is rejected unless `allowZero`.
        public func duration(_ key: String, allowZero: Bool = false) -> Duration? {
            guard let value = self.value(key) else { return nil }
            guard let text = value.string else {
                self.problem(key, Self.typeMismatch(expected: "a duration string such as \"10s\"", got: value))
                return nil
            }
            guard let duration = DurationParser.parse(text) else {
                self.problem(
                    key,
                    "invalid duration \(ConfigurationLoader.quoted(text)); "
                        + "use a number with ms, s, m or h, e.g. \"250ms\", \"10s\", \"5m\""
                )
                return nil
            }
            if !allowZero, duration == .zero {
                self.problem(key, "must be greater than zero")
                return nil
            }
            return duration
        }

        /// A size: a string such as `"32KiB"` (see ``ByteSizeParser``) or an integer number of
        /// bytes; must be positive.
        public func byteSize(_ key: String) -> Int? {
            guard let value = self.value(key) else { return nil }
            let size: Int
            if let integer = value.int {
                size = integer
            } else if let text = value.string {
                guard let parsed = ByteSizeParser.parse(text) else {
                    self.problem(
                        key,
                        "invalid size \(ConfigurationLoader.quoted(text)); "
                            + "use a number with B, KiB, MiB, GiB, KB, MB or GB, e.g. \"32KiB\""
                    )
                    return nil
                }
                size = parsed
            } else {
                self.problem(key, Self.typeMismatch(expected: "a size string such as \"32KiB\"", got: value))
                return nil
            }
            guard size > 0 else {
                self.problem(key, "must be greater than zero")
                return nil
            }
            return size
        }

        /// One of an enumeration's raw values.
        public func choice<Choice: CaseIterable & RawRepresentable>(_ key: String, as type: Choice.Type) -> Choice?
        where Choice.RawValue == String {
            guard let value = self.value(key) else { return nil }
            return Self.choice(value, as: type, at: self.path(key), diagnostics: self.diagnostics)
        }

        /// An array value; its elements are checked by the caller with their own key paths
        /// (`key[index]`).
        public func array(_ key: String, required: Bool = false) -> [(keyPath: String, value: TOMLValueConvertible)]? {
            guard let value = self.value(key, required: required) else { return nil }
            guard let array = value.array else {
                self.problem(key, Self.typeMismatch(expected: "an array", got: value))
                return nil
            }
            return array.enumerated().map { (index, element) in ("\(self.path(key))[\(index)]", element) }
        }

        /// An array of strings; elements of another type are reported and skipped.
        public func stringArray(_ key: String, required: Bool = false) -> [(keyPath: String, value: String)]? {
            guard let elements = self.array(key, required: required) else { return nil }
            return elements.compactMap { element in
                Self.string(element.value, at: element.keyPath, diagnostics: self.diagnostics).map {
                    (element.keyPath, $0)
                }
            }
        }

        /// A sub-table (`[parent.key]` or an inline table).
        public func subtable(_ key: String, knownKeys: [String]) -> TableReader? {
            guard let value = self.value(key) else { return nil }
            guard let table = value.table else {
                self.problem(key, Self.typeMismatch(expected: "a table", got: value))
                return nil
            }
            return TableReader(
                table: table,
                keyPath: self.path(key),
                knownKeys: knownKeys,
                diagnostics: self.diagnostics
            )
        }

        /// The elements of an array of tables (`[[key]]`); anything else is reported.
        public func tableArray(_ key: String) -> [TOMLTable] {
            guard let value = self.value(key) else { return [] }
            guard let array = value.array else {
                self.problem(key, Self.typeMismatch(expected: "an array of tables ([[\(key)]])", got: value))
                return []
            }
            var tables: [TOMLTable] = []
            for (index, element) in array.enumerated() {
                guard let table = element.table else {
                    self.diagnostics.problem(
                        "\(self.path(key))[\(index)]",
                        Self.typeMismatch(expected: "a table", got: element)
                    )
                    continue
                }
                tables.append(table)
            }
            return tables
        }

        /// Reports every key of the table that is not in ``knownKeys``, sorted, with a suggestion
        /// when one is close. Unknown keys are errors: a misspelt security setting must never be
        /// silently ignored.
        public func reportUnknownKeys() {
            for key in self.table.keys.sorted() where !self.knownKeys.contains(key) {
                var message = "unknown key"
                if let suggestion = ConfigurationLoader.suggestion(for: key, among: self.knownKeys) {
                    message += " (did you mean \(ConfigurationLoader.quoted(suggestion))?)"
                }
                self.problem(key, message)
            }
        }
    }
}
