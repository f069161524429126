import NIOCore
import Synchronization

/// The open downstream connections of a listener: enforces `max_connections` and lets a drain
/// reach every connection.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var allClosed: [EventLoopPromise<Void>] = []
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Registers a new connection; false when the listener is full (the caller closes it).
    func admit(_ channel: any Channel) -> Bool {
        self.state.withLock { state in
            guard state.channels.count < self.limit else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    /// Forgets a closed connection.
    func remove(_ channel: any Channel) {
        let waiters: [EventLoopPromise<Void>] = self.state.withLock { state in
            state.channels.removeValue(forKey: ObjectIdentifier(channel))
            guard state.channels.isEmpty else { return [] }
            defer { state.allClosed = [] }
            return state.allClosed
        }
        waiters.forEach { $0.succeed() }
    }

    /// How many connections are open.
    var count: Int { self.state.withLock { $0.channels.count } }

    /// Asks every connection to finish its current request and close (NIO's quiesce event).
    func quiesceAll() {
        let channels = self.state.withLock { Array($0.channels.values) }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes every connection now (drain timeout reached).
    func closeAll() {
        let channels = self.state.withLock { Array($0.channels.values) }
        for channel in channels {
            channel.close(promise: nil)
        }
    }

    /// Completes when no connection is open.
    func waitUntilEmpty(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let isEmpty = self.state.withLock { state -> Bool in
            if state.channels.isEmpty { return true }
            state.allClosed.append(promise)
            return false
        }
        if isEmpty { promise.succeed() }
        return promise.futureResult
    }
}
