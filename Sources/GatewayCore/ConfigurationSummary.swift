/// The human-readable summary `check-config` prints: listeners, routes in match order, upstreams.
public enum ConfigurationSummary {
    /// Renders the summary.
    public static func render(_ configuration: GatewayConfiguration) -> String {
        var lines: [String] = []
        lines.append("listeners:")
        for listener in configuration.listeners {
            lines.append(
                "  \(listener.name)  \(listener.address)  client_certificate=\(listener.clientCertificate.rawValue)"
                    + "  tls>=\(listener.tlsMinimumVersion.rawValue)  max_chain_depth=\(listener.maxChainDepth)"
                    + "  trust_roots=\(listener.trustRoots.count)  intermediates=\(listener.intermediates.count)"
            )
        }
        lines.append("routes (match order):")
        for entry in RouteTable(routes: configuration.routes).ordered {
            let route = entry.route
            var parts = ["  \(route.name)", "\(route.host.map { "\($0)" } ?? "*")\(route.pathPrefix)"]
            if let methods = route.methods { parts.append("methods=\(methods.sorted().joined(separator: ","))") }
            parts.append("-> \(route.upstream)")
            parts.append("client_certificate=\(route.clientCertificate?.rawValue ?? "listener")")
            if let rewrite = route.rewritePrefix { parts.append("rewrite_prefix=\(rewrite)") }
            if let limit = route.maxBodySize { parts.append("max_body_size=\(limit)B") }
            lines.append(parts.joined(separator: "  "))
        }
        lines.append("upstreams:")
        for upstream in configuration.upstreams {
            lines.append("  \(upstream.name)  \(upstream.servers.map(\.description).joined(separator: " "))")
        }
        if let admin = configuration.admin {
            lines.append("admin: \(admin.address)")
        }
        return lines.joined(separator: "\n")
    }
}
