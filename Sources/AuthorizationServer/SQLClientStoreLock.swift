/// A first-come, first-served asynchronous mutex.
///
/// Why: ``SQLClientStoreSQLiteBackend`` has one SQLite connection, and a transaction spans
/// several `await`s; an actor alone would let another caller's statements run between them
/// (actor re-entrancy), so callers queue here for the whole transaction instead.
actor SQLClientStoreLock {
    /// Whether a caller holds the lock.
    private var isLocked = false
    /// Callers waiting, oldest first.
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Waits until the lock is free and takes it.
    func acquire() async {
        guard self.isLocked else {
            self.isLocked = true
            return
        }
        await withCheckedContinuation { continuation in
            self.waiters.append(continuation)
        }
    }

    /// Hands the lock to the next waiter, or frees it.
    func release() {
        if self.waiters.isEmpty {
            self.isLocked = false
        } else {
            self.waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding the lock.
    nonisolated func withLock<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        await self.acquire()
        do {
            let result = try await body()
            await self.release()
            return result
        } catch {
            await self.release()
            throw error
        }
    }
}
