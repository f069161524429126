/// A failure reported to the operator as one sentence ("Error: …"), without a stack trace; the
/// process exits with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    /// The sentence.
    let description: String
}
