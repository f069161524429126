/// A port that becomes known when a listener binds (or an error when it cannot): awaited by
/// whoever must not send a request before the listener is up — tests, the sandbox demo,
/// `boundPort()` of the authorization server.
///
/// Why a promise rather than a fixed port: listeners bind port 0 and learn their port from the
/// kernel, so two instances (or two test runs) never collide.
public actor BoundPortPromise {
    private var result: Result<Int, any Error>?
    private var waiters: [CheckedContinuation<Int, any Error>] = []

    /// Creates an unresolved promise.
    public init() {}

    /// Records the outcome (the first one wins) and wakes every waiter.
    public func resolve(_ outcome: Result<Int, any Error>) {
        guard self.result == nil else { return }
        self.result = outcome
        for waiter in self.waiters {
            waiter.resume(with: outcome)
        }
        self.waiters.removeAll()
    }

    /// The port, waiting for it if needed.
    public func value() async throws -> Int {
        if let result = self.result {
            return try result.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            self.waiters.append(continuation)
        }
    }
}
