extension ConfigurationLoader {
    /// Collects problems and warnings during one load. A reference type so that every table reader
    /// of a pass appends to the same lists; it never leaves the loading function.
    public final class Diagnostics {
        /// Problems in the order found.
        public private(set) var problems: [ConfigurationProblem] = []
        /// Warnings (`key.path: message`) in the order found.
        public private(set) var warnings: [String] = []

        /// Creates an empty collection.
        public init() {}

        /// Records a problem at `keyPath`.
        public func problem(_ keyPath: String, _ message: String) {
            self.problems.append(ConfigurationProblem(keyPath: keyPath, message: message))
        }

        /// Records a warning at `keyPath`.
        public func warning(_ keyPath: String, _ message: String) {
            self.warnings.append("\(keyPath): \(message)")
        }
    }

    /// `"text"` with backslashes and quotes escaped, for names and values inside messages.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// `"a", "b" or "c"`: the accepted values in an error message.
    public static func alternatives(_ values: [String]) -> String {
        let quotedValues = values.map { Self.quoted($0) }
        guard quotedValues.count > 1, let last = quotedValues.last else {
            return quotedValues.joined()
        }
        return quotedValues.dropLast().joined(separator: ", ") + " or " + last
    }

    /// The known key closest to an unknown one, if it is close enough to be a likely typo.
    public static func suggestion(for key: String, among knownKeys: [String]) -> String? {
        func normalized(_ text: String) -> String {
            text.lowercased().filter { $0 != "_" && $0 != "-" }
        }
        if let same = knownKeys.first(where: { normalized($0) == normalized(key) }) {
            return same
        }
        let scored = knownKeys.map { ($0, Self.editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let threshold = max(2, key.count / 4)
        return best.1 <= threshold ? best.0 : nil
    }

    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
