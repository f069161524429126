/// One thing wrong with a configuration file, located by its key path (or, for TOML syntax errors,
/// by its line).
///
/// Why key paths: an operator fixing a rejected file at start-up must find every mistake in one
/// pass, without reading code. Every problem names the exact key, e.g.
/// `route[2] "registration".upstream`, `listener[0] "mtls".trust_roots[1]` or
/// `gateway.drain_timeout`.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: a dotted key path with `[index]` for array elements and the element's
    /// `"name"` when it is known. For syntax errors and unreadable files, the file's name.
    public var keyPath: String
    /// The 1-based line of a TOML syntax error; `nil` for every other problem (TOMLKit does not
    /// report positions of values).
    public var line: Int?
    /// What is wrong, e.g. `no upstream named "auth"`.
    public var message: String

    /// Creates a problem.
    public init(keyPath: String, line: Int? = nil, message: String) {
        self.keyPath = keyPath
        self.line = line
        self.message = message
    }

    /// `gateway.conf:12: message` for syntax errors, `key.path: message` otherwise.
    public var description: String {
        if let line = self.line {
            return "\(self.keyPath):\(line): \(self.message)"
        }
        if self.keyPath.isEmpty {
            return self.message
        }
        return "\(self.keyPath): \(self.message)"
    }
}

/// A configuration file was rejected; carries every problem found, not only the first.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// All problems, in the order the loader found them (sections in file-format order, keys in
    /// contract order, unknown keys last within their table).
    public var problems: [ConfigurationProblem]

    /// Creates an error from its problems.
    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        self.problems.map(\.description).joined(separator: "\n")
    }
}

/// Why a single configuration value (an address, a CIDR, a host pattern, an upstream URL) could not
/// be parsed. The loader turns it into a ``ConfigurationProblem`` at the value's key path.
public struct ConfigurationValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A human-readable reason, e.g. `port 70000 is out of range 0...65535`.
    public var message: String

    /// Creates an error with a message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String {
        self.message
    }
}
