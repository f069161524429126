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

    /// `ok 201  POST /register over MTLS: client_id=…` or `FAILED 400 …`.
    public func rendered(index: Int, count: Int) -> String {
        let verdict = self.succeeded ? "ok" : "FAILED"
        let status = self.status.map(String.init) ?? "-"
        let head = "[\(index)/\(count)] \(verdict) \(status)"
        return head.padding(toLength: max(head.count, 17), withPad: " ", startingAt: 0) + self.title + ": " + self.detail
    }
}

/// What `ob-sandbox up` achieved.
public struct SandboxUpOutcome: Sendable, Hashable {
    /// The demo's steps, in order (fewer than all when one failed or Ctrl-C came first).
    public let steps: [DemoStepResult]
    /// The number of steps a complete demo has.
    public let expectedStepCount: Int

    /// A result from its parts.
    public init(steps: [DemoStepResult], expectedStepCount: Int) {
        self.steps = steps
        self.expectedStepCount = expectedStepCount
    }

    /// Every step ran and succeeded.
    public var succeeded: Bool {
        self.steps.count == self.expectedStepCount && self.steps.allSatisfy(\.succeeded)
    }

    /// The first step that failed, if any.
    public var failedStep: DemoStepResult? {
        self.steps.first { !$0.succeeded }
    }
}
