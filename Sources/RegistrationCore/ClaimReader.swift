import Foundation

/// Reads typed claims from a JWT claims set, naming the claim and the expected type on every
/// failure.
///
/// Why: "JSON of the wrong type for a claim" must be a precise 400 (the bad-input list),
/// never a crash or a silently ignored value. `null` counts as absent for optional claims, as
/// directories emit `"software_on_behalf_of_org": null`.
struct ClaimReader {
    /// What is wrong with one claim.
    struct Problem: Error {
        let claim: String
        let message: String
    }

    let claims: [String: JSONValue]

    /// The value, `nil` when absent or `null`.
    func raw(_ name: String) -> JSONValue? {
        guard let value = self.claims[name], value != .null else { return nil }
        return value
    }

    func string(_ name: String) throws(Problem) -> String? {
        guard let value = self.raw(name) else { return nil }
        guard let string = value.stringValue else {
            throw Self.wrongType(name, expected: "a string", got: value)
        }
        return string
    }

    func requiredString(_ name: String) throws(Problem) -> String {
        guard let string = try self.string(name) else {
            throw Problem(claim: name, message: "claim '\(name)' is required")
        }
        guard !string.isEmpty else {
            throw Problem(claim: name, message: "claim '\(name)' must not be empty")
        }
        return string
    }

    /// A string, or a number rendered as text (`software_version` is published both ways).
    func stringOrNumber(_ name: String) throws(Problem) -> String? {
        guard let value = self.raw(name) else { return nil }
        switch value {
        case .string(let string): return string
        case .integer(let integer): return String(integer)
        case .number: return String(decoding: value.serializedBytes(), as: UTF8.self)
        default: throw Self.wrongType(name, expected: "a string or a number", got: value)
        }
    }

    /// An array of strings; with `acceptingSingleString`, a lone string counts as one element.
    func stringArray(_ name: String, acceptingSingleString: Bool = false) throws(Problem) -> [String]? {
        guard let value = self.raw(name) else { return nil }
        if acceptingSingleString, let string = value.stringValue {
            return [string]
        }
        guard let elements = value.arrayValue else {
            throw Self.wrongType(name, expected: "an array of strings", got: value)
        }
        var strings: [String] = []
        for element in elements {
            guard let string = element.stringValue else {
                throw Problem(
                    claim: name,
                    message: "claim '\(name)' must be an array of strings, found an element of type \(element.typeName)"
                )
            }
            strings.append(string)
        }
        return strings
    }

    /// A NumericDate (RFC 7519 §2): seconds since the epoch, integer or fractional.
    func numericDate(_ name: String) throws(Problem) -> Date? {
        guard let value = self.raw(name) else { return nil }
        guard let seconds = value.doubleValue, seconds.isFinite else {
            throw Self.wrongType(name, expected: "a number of seconds (NumericDate)", got: value)
        }
        return Date(timeIntervalSince1970: seconds)
    }

    func requiredNumericDate(_ name: String) throws(Problem) -> Date {
        guard let date = try self.numericDate(name) else {
            throw Problem(claim: name, message: "claim '\(name)' is required")
        }
        return date
    }

    private static func wrongType(_ name: String, expected: String, got value: JSONValue) -> Problem {
        Problem(claim: name, message: "claim '\(name)' must be \(expected), got \(value.typeName)")
    }
}
