import Dispatch
import Foundation
import GatewayCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Writes access-log lines off the event loop.
///
/// ``log(_:)`` is called on event loops once per request: it takes a lock, appends the event to a
/// bounded in-memory queue and returns — no formatting, no I/O, never blocking. ``run()`` takes
/// the queue in batches, renders the lines and writes them from `NIOThreadPool.singleton`, so a
/// slow disk or a stalled `stdout` pipe stalls neither event loops nor the cooperative pool.
///
/// Why bounded with drops: an unbounded queue turns a stuck log destination into unbounded memory
/// growth (a denial of service); blocking would stall every connection on that event loop. When
/// the queue holds `capacity` events, new ones are dropped and counted in ``droppedEvents``.
///
/// Rotation: on `SIGUSR1` (logrotate: rename the file, then signal) or ``reopen()``, the file is
/// reopened by path, so later lines go to a fresh file; lines logged before the reopen still go
/// to the old one. On graceful shutdown everything queued is written before ``run()`` returns.
public final class AccessLogWriter: Service, Sendable {
    /// The default queue bound, in events.
    public static let defaultCapacity = 65_536

    /// A batch larger than this many bytes is written in several `write(2)` calls.
    static let chunkSize = 1 << 20

    enum Item: Sendable {
        case event(AccessLogEvent)
        case reopen
    }

    private enum Phase {
        case running
        case stopping
        case finished
    }

    private struct FlushWaiter {
        var id: UInt64
        var target: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var queue: [Item] = []
        var queuedEvents = 0
        var accepted: UInt64 = 0
        var written: UInt64 = 0
        var dropped = 0
        var phase = Phase.running
        var writerWaiter: CheckedContinuation<Void, Never>?
        var flushWaiters: [FlushWaiter] = []
        var nextWaiterID: UInt64 = 0
    }

    /// The open destination; touched only by the batch being written.
    private struct Output {
        var descriptor: CInt = -1
        var isFailing = false
    }

    private let destination: AccessLogDestination
    /// The line format (JSON or combined).
    let format: AccessLogFormat
    private let logger: Logger
    private let capacity: Int
    private let state = Mutex(State())
    private let output = Mutex(Output())

    /// Creates a writer; the destination is opened by ``run()``.
    ///
    /// - Parameters:
    ///   - capacity: How many events may wait to be written before new ones are dropped.
    public init(
        destination: AccessLogDestination,
        format: AccessLogFormat,
        logger: Logger,
        capacity: Int = AccessLogWriter.defaultCapacity
    ) {
        self.destination = destination
        self.format = format
        self.logger = logger
        self.capacity = max(1, capacity)
    }

    /// How many events were dropped because the queue was full or the writer had finished.
    public var droppedEvents: Int {
        self.state.withLock { $0.dropped }
    }

    /// Queues `event`; never blocks and never does I/O, so it is safe on an event loop.
    public func log(_ event: AccessLogEvent) {
        self.enqueue(.event(event))
    }

    /// Reopens the log file by path after the lines already logged are written (what `SIGUSR1`
    /// triggers). A no-op for `stdout`.
    public func reopen() {
        self.enqueue(.reopen)
    }

    /// Returns once every event logged before the call has been written (or dropped), or
    /// immediately once the writer has finished. Tests use it instead of sleeping.
    public func flush() async {
        let id: UInt64? = self.state.withLock { state in
            guard state.phase != .finished, state.written < state.accepted else {
                return nil
            }
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        guard let id else {
            return
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    guard state.phase != .finished, state.written < state.accepted, !Task.isCancelled else {
                        return true
                    }
                    state.flushWaiters.append(
                        FlushWaiter(id: id, target: state.accepted, continuation: continuation)
                    )
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> FlushWaiter? in
                guard let index = state.flushWaiters.firstIndex(where: { $0.id == id }) else {
                    return nil
                }
                return state.flushWaiters.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }

    /// Opens the destination, then writes batches until graceful shutdown or cancellation, after
    /// which it writes everything still queued, closes the file and returns.
    ///
    /// - Throws: An `IOError` if the log file cannot be opened at start-up.
    public func run() async throws {
        do {
            try await NIOThreadPool.singleton.runIfActive {
                try self.openDestination()
            }
        } catch {
            if case .file(let path) = self.destination {
                self.logger.error("cannot open the access log", metadata: ["path": "\(path)", "error": "\(error)"])
            }
            self.finish()  // later events are dropped and counted; pending flushes return
            throw error
        }
        let signalSource = await self.installReopenSignal()
        defer {
            signalSource.cancel()
        }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                while let batch = await self.nextBatch() {
                    await self.write(batch)
                    // Under load, waking the writer for every line costs a context switch per
                    // request (measured: ~10% of the proxy's CPU). Let lines gather for a moment
                    // unless someone waits for a flush or we are stopping.
                    if self.shouldLinger() {
                        try? await Task.sleep(for: Self.linger)
                    }
                }
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
        self.closeDestination()
        self.finish()
    }

    private func enqueue(_ item: Item) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            let isEvent: Bool
            if case .event = item {
                isEvent = true
            } else {
                isEvent = false
            }
            guard state.phase != .finished else {
                state.dropped += isEvent ? 1 : 0
                return nil
            }
            if isEvent {
                guard state.queuedEvents < self.capacity else {
                    state.dropped += 1
                    return nil
                }
                state.queuedEvents += 1
            }
            state.queue.append(item)
            state.accepted += 1
            defer { state.writerWaiter = nil }
            return state.writerWaiter
        }
        waiter?.resume()
    }

    /// How long the writer lets lines gather between batches (bounded log latency, like nginx's
    /// `access_log … buffer=` flush interval but much shorter).
    static let linger: Duration = .milliseconds(20)

    private func shouldLinger() -> Bool {
        self.state.withLock { $0.phase == .running && $0.flushWaiters.isEmpty }
    }

    /// The next batch to write, or `nil` once stopping and the queue is empty.
    private func nextBatch() async -> [Item]? {
        enum Next {
            case batch([Item])
            case wait
            case stop
        }
        while true {
            let next: Next = self.state.withLock { state in
                guard state.queue.isEmpty else {
                    let batch = state.queue
                    state.queue = []
                    state.queuedEvents = 0
                    return .batch(batch)
                }
                return state.phase == .running ? .wait : .stop
            }
            switch next {
            case .batch(let batch):
                return batch
            case .stop:
                return nil
            case .wait:
                break
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    guard state.queue.isEmpty, state.phase == .running else {
                        return true
                    }
                    state.writerWaiter = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        }
    }

    /// Renders and writes one batch on the thread pool, then wakes the flushes it satisfies.
    private func write(_ batch: [Item]) async {
        do {
            try await NIOThreadPool.singleton.runIfActive {
                self.render(batch)
            }
        } catch {
            // The thread pool is shutting down (process exit); write here rather than lose lines.
            self.render(batch)
        }
        let ready = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.written += UInt64(batch.count)
            let written = state.written
            let ready = state.flushWaiters.filter { $0.target <= written }.map(\.continuation)
            state.flushWaiters.removeAll { $0.target <= written }
            return ready
        }
        for continuation in ready {
            continuation.resume()
        }
    }

    /// Blocking: renders `batch` into ~1 MiB chunks and writes them, reopening where asked.
    private func render(_ batch: [Item]) {
        var buffer = String()
        buffer.reserveCapacity(min(Self.chunkSize, batch.count * 512) + 1024)
        for item in batch {
            switch item {
            case .event(let event):
                buffer.append(event.line(format: self.format))
                buffer.append("\n")
                if buffer.utf8.count >= Self.chunkSize {
                    self.writeAll(&buffer)
                }
            case .reopen:
                self.writeAll(&buffer)
                self.reopenDestination()
            }
        }
        self.writeAll(&buffer)
    }

    private func stop() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.phase == .running {
                state.phase = .stopping
            }
            defer { state.writerWaiter = nil }
            return state.writerWaiter
        }
        waiter?.resume()
    }

    private func finish() {
        let waiters = self.state.withLock { state -> [FlushWaiter] in
            state.phase = .finished
            state.dropped += state.queuedEvents
            state.queue = []
            state.queuedEvents = 0
            defer { state.flushWaiters = [] }
            return state.flushWaiters
        }
        for waiter in waiters {
            waiter.continuation.resume()
        }
    }

    /// Reopens on `SIGUSR1`, the signal logrotate's `postrotate` sends (a no-op for `stdout`).
    /// Returns once Dispatch has registered the source, so no signal sent afterwards is missed.
    ///
    /// Why also for `stdout`: the default action of `SIGUSR1` terminates the process, so a
    /// rotation hook (or an operator) signalling a gateway that logs to `stdout` would kill it.
    private func installReopenSignal() async -> any DispatchSourceSignal {
        #if canImport(Darwin)
        // Darwin delivers signal sources through kqueue, below signal(3) handlers: ignore the
        // default action (terminate) so only the source sees it. On Linux, Dispatch installs its
        // own handler, and ignoring the signal there would discard it.
        signal(SIGUSR1, SIG_IGN)
        #endif
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler { [weak self] in
            self?.reopen()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            source.setRegistrationHandler {
                continuation.resume()
            }
            source.resume()
        }
        return source
    }

    // MARK: - Destination (blocking; called from the thread pool or at start/stop only)

    private func openDestination() throws {
        guard case .file(let path) = self.destination else {
            self.output.withLock { $0.descriptor = STDOUT_FILENO }
            return
        }
        let descriptor = try Self.openAppending(path)
        self.output.withLock { $0.descriptor = descriptor }
    }

    private func reopenDestination() {
        guard case .file(let path) = self.destination else {
            return
        }
        do {
            let descriptor = try Self.openAppending(path)
            let previous = self.output.withLock { output -> CInt in
                defer { output.descriptor = descriptor }
                return output.descriptor
            }
            if previous >= 0 {
                close(previous)
            }
            self.logger.info("access log reopened", metadata: ["path": "\(path)"])
        } catch {
            // Keep writing to the old descriptor: losing lines is worse than a missed rotation.
            self.logger.error("access log reopen failed", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    private func closeDestination() {
        guard case .file = self.destination else {
            return
        }
        let descriptor = self.output.withLock { output -> CInt in
            defer { output.descriptor = -1 }
            return output.descriptor
        }
        if descriptor >= 0 {
            close(descriptor)
        }
    }

    /// Opens `path` for appending (creating it and its parent folder), mode 0640: the log names
    /// clients, so it is not world-readable.
    private static func openAppending(_ path: String) throws -> CInt {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw IOError(errnoCode: errno, reason: "open(\(path))")
        }
        return descriptor
    }

    /// Writes all of `buffer` (retrying short writes and `EINTR`) and empties it.
    private func writeAll(_ buffer: inout String) {
        guard !buffer.isEmpty else {
            return
        }
        let error: CInt? = self.output.withLock { output in
            let descriptor = output.descriptor
            guard descriptor >= 0 else {
                return EBADF
            }
            return buffer.withUTF8 { bytes -> CInt? in
                var offset = 0
                while offset < bytes.count, let base = bytes.baseAddress {
                    let count = Foundation.write(descriptor, base + offset, bytes.count - offset)
                    if count < 0 {
                        if errno == EINTR {
                            continue
                        }
                        return errno
                    }
                    offset += count
                }
                return nil
            }
        }
        buffer.removeAll(keepingCapacity: true)
        self.noteWriteResult(error)
    }

    /// Logs the first failure of a run of failed writes and the recovery, not every line.
    private func noteWriteResult(_ error: CInt?) {
        let changed = self.output.withLock { output -> Bool in
            let isFailing = error != nil
            defer { output.isFailing = isFailing }
            return output.isFailing != isFailing
        }
        guard changed else {
            return
        }
        if let error {
            self.logger.error(
                "access log write failed; lines are being lost",
                metadata: ["error": "\(IOError(errnoCode: error, reason: "write"))"]
            )
        } else {
            self.logger.notice("access log writes recovered")
        }
    }
}
