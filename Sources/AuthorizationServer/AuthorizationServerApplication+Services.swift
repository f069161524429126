import Foundation
import GatewayCore
import Hummingbird
import Logging
import ServiceLifecycle

/// The listener stopped before it was bound (the service group shut down first).
public struct ListenerStopped: Error, Sendable, CustomStringConvertible {
    /// Why.
    public var description: String { "the HTTP listener stopped before it was bound" }
}

/// Runs the Hummingbird application and reports its fate to ``BoundPortPromise``.
struct HTTPListenerService: Service {
    let application: Application<RouterResponder<AuthorizationServerRequestContext>>
    let listener: BoundPortPromise

    func run() async throws {
        do {
            try await self.application.run()
            await self.listener.resolve(.failure(ListenerStopped()))
        } catch {
            await self.listener.resolve(.failure(error))
            throw error
        }
    }
}

/// Periodically forgets expired `jti`s and tokens (``ClientStore/purgeExpired(now:)``), so the
/// replay cache stays as small as the request lifetimes allow.
struct ExpiryPurgeService: Service {
    let store: any ClientStore
    let logger: Logger
    /// Time between purges.
    var interval: Duration = .seconds(300)
    /// The clock.
    var clock: @Sendable () -> Date = { Date() }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.interval)
                } catch {
                    return
                }
                do throws(ClientStoreError) {
                    try await self.store.purgeExpired(now: self.clock())
                } catch {
                    self.logger.warning(
                        "purging expired jtis and tokens failed",
                        metadata: ["error": "\(error.code.rawValue)"]
                    )
                }
            }
        }
    }
}
