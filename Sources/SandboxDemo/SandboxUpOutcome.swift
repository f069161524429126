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
