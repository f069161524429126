#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import ServiceLifecycle

/// Returns from ``run()`` when the process receives SIGINT (Ctrl-C) or SIGTERM, or when the group
/// shuts down. Add it to a `ServiceGroup` with `successTerminationBehavior:
/// .gracefullyShutdownGroup` so that a signal stops every other service gracefully.
///
/// Why its own service: the sandbox commands must stop cleanly on Ctrl-C (closing listeners, not
/// leaving a port bound), and this module does not link the `UnixSignals` product that
/// `ServiceGroupConfiguration.gracefulShutdownSignals` needs; Dispatch signal sources do the same.
public struct InterruptSignalService: Service {
    /// The service.
    public init() {}

    /// Waits for SIGINT, SIGTERM or graceful shutdown.
    public func run() async throws {
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)  // the default action would kill the process before the source sees it
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                continuation.yield(number)
            }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources {
                source.cancel()
            }
        }
        await withGracefulShutdownHandler {
            for await _ in signals {
                break
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }
}
