import AuthorizationServer
import Logging
import Synchronization
import Testing

@Suite("start-up retry of the database")
struct StartupRetryTests {
    static let quiet = Logger(label: "startup-retry-test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("delays double from 250 ms up to 5 s and never pass the wait")
    func schedule() {
        let retry = StartupRetry(wait: .seconds(60))
        let delays = (1...8).map { retry.delay(afterFailedAttempts: $0, elapsed: .zero) }
        #expect(delays == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5)])
        #expect(retry.delay(afterFailedAttempts: 3, elapsed: .milliseconds(59_700)) == .milliseconds(300))
        #expect(retry.delay(afterFailedAttempts: 3, elapsed: .seconds(60)) == nil)
        #expect(StartupRetry(wait: .zero).delay(afterFailedAttempts: 1, elapsed: .zero) == nil)
    }

    @Test("a retryable failure is retried until it succeeds; each failure is logged")
    func retriesUntilSuccess() async throws {
        let attempts = Mutex(0)
        let retry = StartupRetry(wait: .seconds(30), initialDelay: .milliseconds(1), maximumDelay: .milliseconds(2))
        let value = try await retry.run(logger: Self.quiet, what: "opening", isRetryable: { _ in true }) {
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt < 4 { throw ClientStoreError(.unavailable, "connection refused") }
            return attempt
        }
        #expect(value == 4)
    }

    @Test("a non-retryable failure is thrown at once")
    func notRetryable() async {
        let attempts = Mutex(0)
        let retry = StartupRetry(wait: .seconds(30), initialDelay: .milliseconds(1))
        await #expect(throws: ClientStoreError.self) {
            try await retry.run(logger: Self.quiet, what: "opening", isRetryable: { _ in false }) {
                attempts.withLock { $0 += 1 }
                throw ClientStoreError(.corrupt, "bad")
            }
        }
        #expect(attempts.withLock { $0 } == 1)
    }

    @Test("PostgreSQL that never comes up: makeClientStore gives up after startup_wait with the last error")
    func givesUp() async throws {
        var settings = try DatabaseSettings(url: "postgres://as:secret@/oauth?host=/nonexistent-mtls-test-dir", baseDirectory: "/")
        settings.startupWait = .milliseconds(600)
        settings.connectTimeout = .milliseconds(200)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: ClientStoreError.self) {
            _ = try await makeClientStore(settings, logger: Self.quiet)
        }
        let elapsed = clock.now - start
        #expect(error?.code == .unavailable)
        #expect(error?.underlying.contains("cannot connect to PostgreSQL") == true)
        #expect(elapsed >= .milliseconds(600))
        #expect(elapsed < .seconds(10))
    }
}
