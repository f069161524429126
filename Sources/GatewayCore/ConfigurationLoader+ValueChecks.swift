import TOMLKit

extension ConfigurationLoader.TableReader {
    /// `expected <expected>, got <a TOML type>`.
    public static func typeMismatch(expected: String, got value: TOMLValueConvertible) -> String {
        "expected \(expected), got \(Self.describe(value.type))"
    }

    /// A TOML type with its article, as it appears in messages.
    public static func describe(_ type: TOMLType) -> String {
        switch type {
        case .table: return "a table"
        case .array: return "an array"
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a floating-point number"
        case .bool: return "a boolean"
        case .date: return "a date"
        case .time: return "a time"
        case .dateTime: return "a date-time"
        }
    }

    /// `value` as a string, or a recorded type problem.
    public static func string(
        _ value: TOMLValueConvertible,
        at keyPath: String,
        diagnostics: ConfigurationLoader.Diagnostics
    ) -> String? {
        guard let string = value.string else {
            diagnostics.problem(keyPath, Self.typeMismatch(expected: "a string", got: value))
            return nil
        }
        return string
    }

    /// `value` as one of an enumeration's raw values, or a recorded problem listing the accepted
    /// ones. Unknown values are errors, never a silent fallback to a default.
    public static func choice<Choice: CaseIterable & RawRepresentable>(
        _ value: TOMLValueConvertible,
        as type: Choice.Type,
        at keyPath: String,
        diagnostics: ConfigurationLoader.Diagnostics
    ) -> Choice? where Choice.RawValue == String {
        let accepted = ConfigurationLoader.alternatives(Choice.allCases.map(\.rawValue))
        guard let text = value.string else {
            diagnostics.problem(keyPath, Self.typeMismatch(expected: "a string (\(accepted))", got: value))
            return nil
        }
        guard let choice = Choice(rawValue: text) else {
            diagnostics.problem(keyPath, "unknown value \(ConfigurationLoader.quoted(text)); expected \(accepted)")
            return nil
        }
        return choice
    }
}
