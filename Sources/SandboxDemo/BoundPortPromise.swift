/// A port that becomes known when a listener binds (or an error when it cannot): awaited by the
/// demo before it sends its first request.
actor BoundPortPromise {
    private var result: Result<Int, any Error>?
    private var waiters: [CheckedContinuation<Int, any Error>] = []

    /// Records the outcome (the first one wins) and wakes every waiter.
    func resolve(_ outcome: Result<Int, any Error>) {
        guard self.result == nil else { return }
        self.result = outcome
        for waiter in self.waiters {
            waiter.resume(with: outcome)
        }
        self.waiters.removeAll()
    }

    /// The port, waiting for it if needed.
    func value() async throws -> Int {
        if let result = self.result {
            return try result.get()
        }
        return try await withCheckedThrowingContinuation { continuation in
            self.waiters.append(continuation)
        }
    }
}
