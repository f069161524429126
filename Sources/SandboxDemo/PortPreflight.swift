#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Checks the sandbox's ports before anything starts, and turns `0` into concrete free ports.
///
/// Why before: five listeners start concurrently in one service group; a port that is taken would
/// otherwise surface as a bare `Address already in use` from whichever listener lost, after the
/// others had started. Checking first names the component and its flag.
///
/// Why `0` is resolved here rather than by each listener: the configurations refer to each other
/// (the gateway's upstreams are the AS and resource server ports; the AS's issuer is the gateway's
/// URL), so every port must be known before any configuration is written. A port reserved here and
/// released is free a moment later unless another process takes it in between; the listeners set
/// `SO_REUSEADDR`, as this check does, so connections of an earlier run in TIME_WAIT do not count.
enum PortPreflight {
    /// The loopback address every sandbox listener binds.
    static let host = "127.0.0.1"

    /// `ports` with every `0` replaced by a free port, after checking the others are free.
    ///
    /// - Throws: ``SandboxUpError/portInUse(component:port:)`` or
    ///   ``SandboxUpError/cannotListen(component:port:reason:)``.
    static func resolve(_ ports: SandboxPorts, group: any EventLoopGroup) async throws(SandboxUpError) -> SandboxPorts {
        try ports.validate()
        var resolved = ports
        var reserved: [any Channel] = []
        defer {
            for channel in reserved {
                channel.close(promise: nil)
            }
        }
        // Fixed ports first, so a free port picked for a `0` can never be one of them.
        let order = SandboxPorts.Component.allCases.sorted { (ports[$0] == 0 ? 1 : 0) < (ports[$1] == 0 ? 1 : 0) }
        for component in order {
            let channel = try await Self.bind(component: component, port: ports[component], group: group)
            reserved.append(channel)
            resolved[component] = channel.localAddress?.port ?? ports[component]
        }
        return resolved
    }

    /// Binds `port` on loopback and keeps the channel open (the caller closes it).
    private static func bind(
        component: SandboxPorts.Component,
        port: Int,
        group: any EventLoopGroup
    ) async throws(SandboxUpError) -> any Channel {
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: Self.host, port: port)
                .get()
        } catch {
            throw Self.classify(error, component: component, port: port)
        }
    }

    /// The sandbox error for a failed bind of `component`'s `port`.
    static func classify(_ error: any Error, component: SandboxPorts.Component, port: Int) -> SandboxUpError {
        if let error = error as? SandboxUpError {
            return error
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case EADDRINUSE:
                return .portInUse(component: component, port: port)
            case EACCES, EPERM:
                return .cannotListen(component: component, port: port, reason: "not allowed; ports below 1024 need privileges")
            default:
                return .cannotListen(component: component, port: port, reason: "\(error)")
            }
        }
        if "\(error)".contains("Address already in use") {
            return .portInUse(component: component, port: port)
        }
        return .cannotListen(component: component, port: port, reason: "\(error)")
    }
}
