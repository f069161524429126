import Dispatch
import Foundation
import Synchronization

extension LogsCommand {
    /// Turns SIGINT and SIGTERM into a request to stop, so `--follow` ends cleanly: buffered
    /// output is written, the summary printed and malformed lines reported.
    struct StopSignal {
        /// Set from the signal handler's queue, read by the scan loop.
        private final class Flag: Sendable {
            let requested = Atomic<Bool>(false)
        }

        private let flag = Flag()
        private let sources: [any DispatchSourceSignal]

        /// Installs handlers for SIGINT and SIGTERM; returns once both are registered, so a
        /// signal sent afterwards is never missed (nor fatal).
        init() {
            let flag = self.flag
            let registered = DispatchGroup()
            var sources: [any DispatchSourceSignal] = []
            for number in [SIGINT, SIGTERM] {
                #if canImport(Darwin)
                signal(number, SIG_IGN)  // kqueue delivers to sources below signal(3) handlers
                #endif
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    flag.requested.store(true, ordering: .releasing)
                }
                registered.enter()
                source.setRegistrationHandler {
                    registered.leave()
                }
                source.resume()
                sources.append(source)
            }
            registered.wait()
            self.sources = sources
        }

        /// Whether a stop signal arrived.
        var isRequested: Bool {
            self.flag.requested.load(ordering: .acquiring)
        }

        /// Removes the handlers.
        func cancel() {
            for source in self.sources {
                source.cancel()
            }
        }
    }
}
