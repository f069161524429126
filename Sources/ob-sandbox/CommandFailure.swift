/// A failure reported to the user as one sentence, without a stack trace; exits with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    /// The sentence printed after "Error: ".
    let description: String
}
