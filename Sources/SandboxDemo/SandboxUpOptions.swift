/// What `ob-sandbox up` is asked to do.
public struct SandboxUpOptions: Sendable, Hashable {
    /// The sandbox folder (PKI, generated configurations, database, access log): `.sandbox`.
    public var directory: String
    /// The ports; `0` picks a free one.
    public var ports: SandboxPorts
    /// End after the demo (exit status from its outcome) instead of serving until Ctrl-C.
    public var exitAfterDemo: Bool

    /// Options; the defaults are `.sandbox`, the default ports, and serving until Ctrl-C.
    public init(directory: String = ".sandbox", ports: SandboxPorts = SandboxPorts(), exitAfterDemo: Bool = false) {
        self.directory = directory
        self.ports = ports
        self.exitAfterDemo = exitAfterDemo
    }
}
