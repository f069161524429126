import Synchronization

/// Runs an operation with a deadline that holds even when the operation ignores cancellation.
///
/// Why not a task group: a group waits for every child before returning, so a database call stuck
/// in a connect or a read would still hang the request. Here the caller is resumed by whichever
/// comes first; the loser is cancelled and left to finish on its own.
enum SQLClientStoreDeadline {
    /// The deadline passed first.
    struct Expired: Error, CustomStringConvertible {
        /// The bound that was exceeded.
        var timeout: Duration

        var description: String {
            "no answer from the database within \(self.timeout)"
        }
    }

    /// `operation()`'s result, or ``Expired`` after `timeout`, or `CancellationError` when the
    /// calling task is cancelled.
    static func run<Result: Sendable>(
        within timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let race = Race<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                race.start(continuation)
                let work = Task {
                    do {
                        race.finish(.success(try await operation()))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    race.finish(.failure(Expired(timeout: timeout)))
                }
                race.track([work, timer])
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// Resumes the continuation exactly once and cancels the tasks still running.
    final class Race<Result: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result, any Error>?
            var outcome: Swift.Result<Result, any Error>?
            var tasks: [Task<Void, Never>] = []
            var isFinished = false
        }

        private let state = Mutex(State())

        /// Records the continuation; an outcome that arrived first (cancellation) resumes it now.
        func start(_ continuation: CheckedContinuation<Result, any Error>) {
            let early: Swift.Result<Result, any Error>? = self.state.withLock { state in
                if let outcome = state.outcome {
                    return outcome
                }
                state.continuation = continuation
                return nil
            }
            if let early {
                continuation.resume(with: early)
            }
        }

        /// Remembers the racing tasks, cancelling them at once when the race is already over.
        func track(_ tasks: [Task<Void, Never>]) {
            let finished = self.state.withLock { state in
                state.tasks = tasks
                return state.isFinished
            }
            if finished {
                tasks.forEach { $0.cancel() }
            }
        }

        /// The first call wins; later calls are ignored.
        func finish(_ outcome: Swift.Result<Result, any Error>) {
            let (continuation, tasks): (CheckedContinuation<Result, any Error>?, [Task<Void, Never>]) = self.state.withLock { state in
                guard !state.isFinished else { return (nil, []) }
                state.isFinished = true
                state.outcome = outcome
                let continuation = state.continuation
                state.continuation = nil
                return (continuation, state.tasks)
            }
            continuation?.resume(with: outcome)
            tasks.forEach { $0.cancel() }
        }
    }
}
