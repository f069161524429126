import Synchronization

/// Hands the demo's outcome from the runner service to the caller of the service group.
final class DemoOutcomeBox: Sendable {
    private let value = Mutex<SandboxUpOutcome?>(nil)

    /// Records the outcome.
    func set(_ outcome: SandboxUpOutcome) {
        self.value.withLock { $0 = outcome }
    }

    /// The outcome, nil when the demo did not finish.
    var outcome: SandboxUpOutcome? {
        self.value.withLock { $0 }
    }
}
