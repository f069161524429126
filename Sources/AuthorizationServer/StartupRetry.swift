import Logging

/// Retrying the first database connection at start-up, with exponential backoff.
///
/// Why: in a container deployment the database often starts at the same time as the
/// authorization server (podman-compose and plain `docker run` do not wait for health checks),
/// and a crash-loop restart hides the real error behind restart noise. With
/// `[database] startup_wait` the server keeps trying for that long, logs each failed attempt
/// with the next delay, and then fails with the last error, as it does at once when the wait is
/// zero (the default, so `check-config`-style mistakes surface immediately).
public struct StartupRetry: Sendable, Hashable {
    /// The first delay between attempts.
    public var initialDelay: Duration
    /// The longest delay between attempts.
    public var maximumDelay: Duration
    /// How long to keep trying, counted from the first attempt.
    public var wait: Duration

    /// A schedule: `initialDelay`, doubling up to `maximumDelay`, for at most `wait`.
    public init(wait: Duration, initialDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(5)) {
        self.wait = wait
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The delay before the attempt after `failedAttempts` failures (1 → `initialDelay`), or
    /// `nil` when that attempt would start after `wait` has passed since the first one.
    public func delay(afterFailedAttempts failedAttempts: Int, elapsed: Duration) -> Duration? {
        var delay = self.initialDelay
        for _ in 1..<max(failedAttempts, 1) where delay < self.maximumDelay {
            delay *= 2
        }
        delay = min(delay, self.maximumDelay)
        let remaining = self.wait - elapsed
        guard remaining > .zero else { return nil }
        return min(delay, remaining)
    }

    /// Runs `attempt` until it succeeds, it throws an error `isRetryable` rejects, or the wait
    /// is over (then the last error is rethrown).
    public func run<Value>(
        logger: Logger,
        what: String,
        clock: ContinuousClock = ContinuousClock(),
        isRetryable: (any Error) -> Bool,
        attempt: () async throws -> Value
    ) async throws -> Value {
        let start = clock.now
        var failures = 0
        while true {
            do {
                return try await attempt()
            } catch {
                failures += 1
                guard isRetryable(error),
                      let delay = self.delay(afterFailedAttempts: failures, elapsed: clock.now - start)
                else { throw error }
                logger.warning(
                    "\(what) failed; retrying",
                    metadata: [
                        "attempt": "\(failures)",
                        "retry_in": "\(delay)",
                        "error": "\((error as? ClientStoreError)?.underlying ?? "\(error)")",
                    ]
                )
                try await Task.sleep(for: delay, clock: clock)
            }
        }
    }
}
