import AuthorizationServer
import Foundation
import Gateway
import GatewayCore
import Logging
import OpenBankingSandbox
import ServiceLifecycle

/// The four components of the sandbox, built from generated configuration files and ready to run
/// as services, in start order: the database, the directory, the authorization server, the
/// resource server, the gateway (access log, admin, proxy).
struct SandboxComponents: Sendable {
    /// The services, each wrapped in a ``ComponentService``.
    let services: [any Service]
    /// The directory as served (the PKI's software and everything `pki sign` published).
    let directory: SandboxDirectory
    /// The size of the access log before this run: the demo prints what comes after.
    let accessLogOffset: UInt64
    /// Returns once every listener is bound; throws the first bind failure.
    let waitUntilListening: @Sendable () async throws -> Void
    /// Returns once every access-log line logged so far is on disk.
    let flushAccessLog: @Sendable () async -> Void

    /// Writes the two configuration files, loads them, opens the database and builds everything.
    ///
    /// - Throws: ``SandboxUpError``.
    static func build(layout: SandboxLayout, pki: SandboxPKI, ports: SandboxPorts, logger: Logger) async throws
        -> SandboxComponents
    {
        // A new secret each run: the resource server asks the AS whether tokens are still active.
        let introspection = IntrospectionCredentials.random(name: "resource-server")
        let asConfiguration = try Self.loadAuthorizationServerConfiguration(
            layout: layout,
            ports: ports,
            introspection: introspection,
            logger: logger
        )
        let gatewayConfiguration = try Self.loadGatewayConfiguration(layout: layout, ports: ports, logger: logger)
        let pkiFolder = layout.absolute(SandboxLayout.RelativePath.pki)

        let baseDirectory: SandboxDirectory
        do {
            baseDirectory = try SandboxDirectory(pki: pki)
        } catch {
            throw SandboxUpError.damagedSandbox(root: layout.root, path: layout.pki, reason: "\(error)")
        }
        let directory = (try? baseDirectory.addingPublished(fromPKIDirectory: pkiFolder)) ?? baseDirectory
        let directoryServer = SandboxDirectoryServer(
            configuration: .init(pki: pki, host: PortPreflight.host, port: ports.directory),
            logger: logger
        ) {
            // Re-read per request, so certificates published by `ob-sandbox pki sign` appear at once.
            try baseDirectory.addingPublished(fromPKIDirectory: pkiFolder)
        }

        let opened: (store: any ClientStore, service: (any Service)?)
        do {
            opened = try await makeClientStore(asConfiguration.database, logger: logger)
        } catch {
            let reason = (error as? ClientStoreError)?.underlying ?? "\(error)"
            throw SandboxUpError.damagedSandbox(root: layout.root, path: layout.database, reason: reason)
        }
        let authorizationServer: AuthorizationServerApplication
        do {
            authorizationServer = try await buildAuthorizationServer(
                configuration: asConfiguration,
                store: opened.store,
                logger: logger
            )
        } catch {
            throw SandboxUpError.componentFailed(component: "The authorization server", reason: "\(error)")
        }

        let verifier = AccessTokenVerifier(
            authorizationServerURL: SandboxConfigurationText.authorizationServerURL(ports),
            policy: BoundTokenPolicy(issuer: asConfiguration.server.issuer, requiredScope: "accounts"),
            introspection: introspection
        )
        let resourceServer = DemoResourceServer(port: ports.resourceServer, verifier: verifier, logger: logger)

        let accessLogOffset = layout.fileSize(SandboxLayout.RelativePath.accessLog)
        let gateway: GatewayApplication
        do {
            gateway = try buildGateway(configuration: gatewayConfiguration, logger: logger)
        } catch {
            throw SandboxUpError.componentFailed(component: "The gateway", reason: "\(error)")
        }

        var services: [any Service] = []
        if let storeService = opened.service {
            services.append(
                ComponentService(base: storeService, listener: nil, name: "The authorization server's database") { error in
                    .damagedSandbox(root: layout.root, path: layout.database, reason: "\(error)")
                }
            )
        }
        services.append(ComponentService(base: directoryServer, listener: (.directory, ports.directory), name: "The sandbox directory"))
        services += authorizationServer.services.map {
            ComponentService(base: $0, listener: (.authorizationServer, ports.authorizationServer), name: "The authorization server")
        }
        services.append(ComponentService(base: resourceServer, listener: (.resourceServer, ports.resourceServer), name: "The demo resource server"))
        services.append(
            ComponentService(base: gateway.accessLog, listener: nil, name: "The gateway's access log") { error in
                .cannotWrite(path: layout.accessLog, reason: "\(error)")
            }
        )
        if let admin = gateway.admin {
            services.append(ComponentService(base: admin, listener: (.admin, ports.admin), name: "The gateway's admin listener"))
        }
        services.append(ComponentService(base: gateway.gateway, listener: (.gateway, ports.gateway), name: "The gateway"))

        let admin = gateway.admin
        let proxy = gateway.gateway
        return SandboxComponents(
            services: services,
            directory: directory,
            accessLogOffset: accessLogOffset,
            waitUntilListening: {
                _ = try await directoryServer.boundPort
                _ = try await authorizationServer.boundPort()
                _ = try await resourceServer.boundPort
                if let admin {
                    _ = try await admin.boundPort
                }
                _ = try await proxy.listeningAddresses()
            },
            flushAccessLog: { await gateway.accessLog.flush() }
        )
    }

    /// Writes `authorization-server.conf` and loads it as `authorization-server run` would.
    private static func loadAuthorizationServerConfiguration(
        layout: SandboxLayout,
        ports: SandboxPorts,
        introspection: IntrospectionCredentials,
        logger: Logger
    ) throws(SandboxUpError) -> AuthorizationServerConfiguration {
        let name = SandboxLayout.RelativePath.authorizationServerConfiguration
        let text = SandboxConfigurationText.authorizationServer(ports: ports, introspection: introspection)
        try layout.write(text, to: name)
        do {
            let loaded = try AuthorizationServerConfigurationLoader.loadReportingWarnings(
                contents: text,
                baseDirectory: layout.absoluteRoot,
                sourceName: name
            )
            for warning in loaded.warnings {
                logger.warning("\(warning)")
            }
            return loaded.configuration
        } catch {
            throw .damagedSandbox(root: layout.root, path: layout.display(name), reason: Self.problems(error))
        }
    }

    /// Writes `gateway.conf` and loads it as `mtls-gateway run` would.
    private static func loadGatewayConfiguration(
        layout: SandboxLayout,
        ports: SandboxPorts,
        logger: Logger
    ) throws(SandboxUpError) -> GatewayConfiguration {
        let name = SandboxLayout.RelativePath.gatewayConfiguration
        let text = SandboxConfigurationText.gateway(ports: ports)
        try layout.write(text, to: name)
        do {
            let loaded = try ConfigurationLoader.load(contents: text, baseDirectory: layout.absoluteRoot, sourceName: name)
            for warning in loaded.warnings {
                logger.warning("\(warning)")
            }
            return loaded.configuration
        } catch {
            throw .damagedSandbox(root: layout.root, path: layout.display(name), reason: Self.problems(error))
        }
    }

    /// The loader's problems on one line.
    private static func problems(_ error: ConfigurationError) -> String {
        error.problems.map(\.description).joined(separator: "; ")
    }
}
