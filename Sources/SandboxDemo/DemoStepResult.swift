/// One step of the `ob-sandbox up` demo and how it went.
public struct DemoStepResult: Sendable, Hashable {
    /// What the step does, e.g. `POST /register over MTLS`.
    public let title: String
    /// The HTTP status received, nil for steps without a request (or when none came back).
    public let status: Int?
    /// Whether the step did what it should (for the refusal step: that it was refused).
    public let succeeded: Bool
    /// The key fields of the result, or why it failed.
    public let detail: String

    /// A result from its parts.
    public init(title: String, status: Int?, succeeded: Bool, detail: String) {
        self.title = title
        self.status = status
        self.succeeded = succeeded
        self.detail = detail
    }

    /// `[2/6] ok 201     POST /register over MTLS: client_id=…` or `[2/6] FAILED 400 …`.
    public func rendered(index: Int, count: Int) -> String {
        let verdict = self.succeeded ? "ok" : "FAILED"
        let head = "[\(index)/\(count)] \(verdict)" + (self.status.map { " \($0)" } ?? "")
        return head.padding(toLength: max(head.count, 17), withPad: " ", startingAt: 0) + self.title + ": " + self.detail
    }
}
