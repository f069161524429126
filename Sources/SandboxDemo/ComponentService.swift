import ServiceLifecycle

/// Runs another service and turns its failure into a ``SandboxUpError`` naming the component.
///
/// Why: the preflight in ``PortPreflight`` catches ports taken before start-up, but a port can
/// still be taken in the moment between the check and the bind, and a database or log file can
/// fail later. The service group stops at the first error and rethrows it; wrapped, that error
/// already says which component failed and what to do.
struct ComponentService: Service {
    /// The wrapped service.
    let base: any Service
    /// The listener this service binds, if it binds one (for port errors).
    let listener: (component: SandboxPorts.Component, port: Int)?
    /// The component's name for other failures (`The authorization server`).
    let name: String
    /// Maps other errors (e.g. a database error to "damaged sandbox"); nil keeps the default.
    var classify: (@Sendable (any Error) -> SandboxUpError?)?

    func run() async throws {
        do {
            try await self.base.run()
        } catch let error as SandboxUpError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if let mapped = self.classify?(error) {
                throw mapped
            }
            if let listener = self.listener {
                let mapped = PortPreflight.classify(error, component: listener.component, port: listener.port)
                if case .portInUse = mapped {
                    throw mapped
                }
            }
            throw SandboxUpError.componentFailed(component: self.name, reason: "\(error)")
        }
    }
}
