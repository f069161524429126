/// Why `ob-sandbox up` could not start or run, as one sentence a newcomer can act on.
///
/// Why its own type: the raw errors of NIO, SQLite and the configuration loaders say what the
/// socket or file saw (`bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`), not
/// which of the five listeners failed or what to do. Every case names the component, the port
/// and the flag, or the file and the `rm -rf` that starts afresh.
public enum SandboxUpError: Error, Sendable, Hashable {
    /// A port outside 0...65535.
    case invalidPort(component: SandboxPorts.Component, port: Int)
    /// Two components were given the same port.
    case duplicatePort(port: Int, first: SandboxPorts.Component, second: SandboxPorts.Component)
    /// Another process listens on a component's port.
    case portInUse(component: SandboxPorts.Component, port: Int)
    /// A component could not listen for another reason (permissions, address).
    case cannotListen(component: SandboxPorts.Component, port: Int, reason: String)
    /// The sandbox folder holds something unusable (a PKI file, the database, a configuration).
    case damagedSandbox(root: String, path: String, reason: String)
    /// A file or folder of the sandbox could not be written.
    case cannotWrite(path: String, reason: String)
    /// A component stopped with an error while running.
    case componentFailed(component: String, reason: String)

    /// A stable code for tests and logs.
    public var code: String {
        switch self {
        case .invalidPort: "invalid_port"
        case .duplicatePort: "duplicate_port"
        case .portInUse: "port_in_use"
        case .cannotListen: "cannot_listen"
        case .damagedSandbox: "damaged_sandbox"
        case .cannotWrite: "cannot_write"
        case .componentFailed: "component_failed"
        }
    }
}

extension SandboxUpError: CustomStringConvertible {
    /// One sentence, no stack trace.
    public var description: String {
        switch self {
        case .invalidPort(let component, let port):
            "\(port) is not a port for \(component.title): use 1-65535 (or 0 for any free port) with \(component.flag)."
        case .duplicatePort(let port, let first, let second):
            "Port \(port) is given to both \(first.title) (\(first.flag)) and \(second.title) (\(second.flag)): give each its own port."
        case .portInUse(let component, let port):
            "Port \(port) for \(component.title) is already in use: stop the other process (an earlier `ob-sandbox up`?) or choose another port with \(component.flag) (0 picks a free one)."
        case .cannotListen(let component, let port, let reason):
            "\(component.title.prefix(1).uppercased() + component.title.dropFirst()) cannot listen on port \(port) (\(reason)): choose another port with \(component.flag)."
        case .damagedSandbox(let root, let path, let reason):
            "The sandbox in \(root) is damaged (\(path): \(reason)); start afresh with `rm -rf \(root)` and run `ob-sandbox up` again."
        case .cannotWrite(let path, let reason):
            "Cannot write \(path) (\(reason)); run `ob-sandbox up` from a folder you can write to, or pass --dir."
        case .componentFailed(let component, let reason):
            "\(component) stopped: \(reason)."
        }
    }
}
