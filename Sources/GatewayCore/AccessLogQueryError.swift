/// A `mtls-gateway logs` argument that cannot be used; the message names the option and value.
public struct AccessLogQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One sentence for the operator, e.g. `--status "6xx": "6xx" is neither …`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String {
        self.message
    }
}
