import Foundation
import ServiceLifecycle

/// The service that waits for every listener, runs ``DemoScript``, prints the results and the
/// access-log lines of the run, and then either ends (``SandboxUpOptions/exitAfterDemo``: the
/// group shuts down) or waits for Ctrl-C.
///
/// Why a service in the same group: the demo must start only once everything listens, must stop
/// when Ctrl-C arrives mid-way, and in `--exit-after-demo` mode its end is what stops the others,
/// gracefully, in reverse start order (the gateway drains before its upstreams stop).
struct DemoRunnerService: Service {
    /// Returns once every listener is bound (throws if one failed).
    let waitUntilListening: @Sendable () async throws -> Void
    /// The lines describing the running components, printed before the demo.
    let banner: [String]
    /// The demo.
    let script: DemoScript
    /// Returns once the gateway's access log holds every line logged so far.
    let flushAccessLog: @Sendable () async -> Void
    /// Where the access log is and how big it was before this run.
    let layout: SandboxLayout
    let accessLogOffset: UInt64
    /// Lines printed once the demo is done and the sandbox keeps serving.
    let servingHints: @Sendable (String?) -> [String]
    /// End after the demo instead of serving until Ctrl-C.
    let exitAfterDemo: Bool
    /// Where the outcome is left for the caller of the group.
    let outcome: DemoOutcomeBox
    /// Prints a line.
    let output: @Sendable (String) -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            do {
                try await self.waitUntilListening()
            } catch {
                return  // the failing component's error ends the group
            }
            for line in self.banner {
                self.output(line)
            }
            let count = DemoScript.titles.count
            self.output("")
            self.output("Demo: a TPP registers through the gateway and calls an API with a certificate-bound token")
            let run = await self.script.run { result, index in
                self.output("  " + result.rendered(index: index, count: count))
            }
            let outcome = SandboxUpOutcome(steps: run.steps, expectedStepCount: count)
            self.outcome.set(outcome)
            await self.flushAccessLog()
            self.printAccessLog()
            self.output("")
            if outcome.succeeded {
                self.output("All \(count) steps succeeded.")
            } else if let failed = outcome.failedStep {
                self.output("The demo failed at step \"\(failed.title)\": \(failed.detail)")
            }
            guard !self.exitAfterDemo else { return }
            for line in self.servingHints(run.clientID) {
                self.output(line)
            }
            try? await gracefulShutdown()
        }
    }

    /// Prints the lines appended to the access log since the run started.
    private func printAccessLog() {
        let path = self.layout.absolute(SandboxLayout.RelativePath.accessLog)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            self.output("(no access log at \(self.layout.accessLog))")
            return
        }
        defer { try? handle.close() }
        try? handle.seek(toOffset: self.accessLogOffset)
        let data = (try? handle.readToEnd()) ?? Data()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        self.output("")
        self.output("Access log of this run (\(self.layout.accessLog), one JSON line per request):")
        for line in lines {
            self.output("  " + line)
        }
    }
}
