import NIOCore

/// A timeout whose deadline moves with every request, served by one scheduled task that is rarely
/// scheduled again.
///
/// Why: a fresh `scheduleTask` per request, cancelled a millisecond later, costs a task, a promise
/// and a closure plus two priority-queue updates under the event loop's task lock — and a proxied
/// request armed three of them (the wait for the next request, the response timeout, the pooled
/// upstream connection's idle timeout). Timeouts last seconds while requests take milliseconds, so
/// here moving the deadline later is a stored value: the task scheduled for an earlier deadline
/// finds, when it fires, that the deadline moved (or was cleared) and schedules itself once more
/// for the remainder. Only a deadline *earlier* than the pending task replaces the task.
///
/// Time is the event loop's clock (`EventLoop.now`), so tests can drive it with an
/// `EmbeddedEventLoop`. Confined to one event loop (its owner's); not `Sendable`.
final class DeadlineTimer {
    private let eventLoop: any EventLoop
    private let onExpiry: () -> Void
    /// When the timeout expires; `nil` while disarmed.
    private(set) var deadline: NIODeadline?
    private var task: Scheduled<Void>?
    private var taskDeadline: NIODeadline?

    /// - Parameter onExpiry: called on `eventLoop` once the armed deadline has passed (and the
    ///   timer is disarmed again). A pending task keeps the timer (and so `onExpiry`) alive:
    ///   an owner that captures itself `unowned` must ``cancel()`` the timer before it goes away.
    init(eventLoop: any EventLoop, onExpiry: @escaping () -> Void) {
        self.eventLoop = eventLoop
        self.onExpiry = onExpiry
    }

    /// Whether a deadline is armed.
    var isArmed: Bool { self.deadline != nil }

    /// Arms (or moves) the deadline.
    func arm(at deadline: NIODeadline) {
        self.deadline = deadline
        if let taskDeadline = self.taskDeadline, taskDeadline <= deadline {
            return  // the pending task fires first and re-schedules for the rest
        }
        self.task?.cancel()
        self.schedule(at: deadline)
    }

    /// Arms the deadline `timeout` from now.
    func arm(in timeout: TimeAmount) {
        self.arm(at: self.eventLoop.now + timeout)
    }

    /// Clears the deadline; a pending task then finds nothing to do.
    func disarm() {
        self.deadline = nil
    }

    /// Clears the deadline and drops the pending task (the owner is going away).
    func cancel() {
        self.deadline = nil
        self.task?.cancel()
        self.task = nil
        self.taskDeadline = nil
    }

    private func schedule(at when: NIODeadline) {
        self.taskDeadline = when
        // Strong: a weak capture would give every timer a refcount side table (slow retains).
        self.task = self.eventLoop.assumeIsolated().scheduleTask(deadline: when) {
            self.fire()
        }
    }

    private func fire() {
        self.task = nil
        self.taskDeadline = nil
        guard let deadline = self.deadline else { return }
        if deadline > self.eventLoop.now {
            self.schedule(at: deadline)
            return
        }
        self.deadline = nil
        self.onExpiry()
    }
}
