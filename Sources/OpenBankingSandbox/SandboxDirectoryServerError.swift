#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Why the sandbox directory could not start listening, in words a newcomer can act on.
public struct SandboxDirectoryServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// Another process listens on the port.
        case portInUse = "port_in_use"
        /// The port needs privileges (below 1024) or the address is not allowed.
        case permissionDenied = "permission_denied"
        /// The host is not an address of this machine.
        case addressNotAvailable = "address_not_available"
        /// The TLS material could not be loaded, or anything else.
        case other
    }

    /// The kind, a stable code.
    public let kind: Kind
    /// The host that was to be bound.
    public let host: String
    /// The port that was to be bound.
    public let port: Int
    /// The underlying error, for logs.
    public let underlying: String

    /// Classifies a bind error.
    public init(bindError: any Error, host: String, port: Int) {
        self.host = host
        self.port = port
        self.underlying = "\(bindError)"
        if let error = bindError as? IOError {
            switch error.errnoCode {
            case EADDRINUSE: self.kind = .portInUse
            case EACCES, EPERM: self.kind = .permissionDenied
            case EADDRNOTAVAIL: self.kind = .addressNotAvailable
            default: self.kind = .other
            }
        } else {
            self.kind = .other
        }
    }

    /// One sentence.
    public var description: String {
        switch self.kind {
        case .portInUse:
            "Port \(self.port) on \(self.host) is already in use: stop the other process or choose another port with --port."
        case .permissionDenied:
            "Not allowed to listen on \(self.host):\(self.port): use a port above 1024."
        case .addressNotAvailable:
            "\(self.host) is not an address of this machine: use 127.0.0.1 or 0.0.0.0 with --host."
        case .other:
            "The sandbox directory could not listen on \(self.host):\(self.port): \(self.underlying)."
        }
    }
}
