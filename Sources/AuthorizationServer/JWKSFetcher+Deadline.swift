/// Thrown by ``Deadline/run(within:_:)`` when the operation did not finish in time.
struct DeadlineExceeded: Error, Sendable {}

/// Bounds an async operation in time, whatever it waits on.
///
/// Why not only the HTTP client's own timeouts: connect and read timeouts bound each step, not the
/// whole exchange; a server that trickles one byte per second would keep a registration request
/// open for minutes. The racing sleep cancels the operation at the deadline.
enum Deadline {
    /// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` after `timeout`.
    static func run<Value: Sendable>(
        within timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask {
                try await operation()
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw DeadlineExceeded()
            }
            return first
        }
    }
}
