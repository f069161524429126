import TOMLKit

extension ConfigurationLoader.Pass {
    /// Keys of `[[route]]`.
    static let routeKeys = [
        "name", "host", "path_prefix", "methods", "upstream", "client_certificate", "max_body_size",
        "response_timeout", "preserve_host", "rewrite_prefix",
    ]

    /// Every `[[route]]` that validated, in file order; problems for the rest. `upstreamNames`
    /// holds the name of every `[[upstream]]` element, valid or not, so that one broken upstream
    /// does not also produce "no upstream named" for each route using it.
    func readRoutes(_ tables: [TOMLTable], upstreamNames: [String]) -> [RouteConfiguration] {
        var names: [String: String] = [:]
        return tables.enumerated().compactMap { (index, table) in
            let reader = self.elementReader(table, kind: "route", index: index, knownKeys: Self.routeKeys)
            return self.readRoute(reader, names: &names, upstreamNames: upstreamNames)
        }
    }

    /// One `[[route]]`.
    func readRoute(
        _ reader: ConfigurationLoader.TableReader,
        names: inout [String: String],
        upstreamNames: [String]
    ) -> RouteConfiguration? {
        let name = self.readName(reader, seen: &names)
        let host = reader.string("host").flatMap { text in
            self.parse(text, at: reader.path("host")) { text throws(ConfigurationValueError) in
                try HostPattern(parsing: text)
            }
        }
        let pathPrefix = reader.string("path_prefix", required: true).flatMap {
            self.checkPathPrefix($0, at: reader.path("path_prefix"))
        }
        let methods = self.readMethods(reader)
        let upstream = reader.string("upstream", required: true).flatMap { upstream -> String? in
            guard upstreamNames.contains(upstream) else {
                var message = "no upstream named \(ConfigurationLoader.quoted(upstream))"
                if let suggestion = ConfigurationLoader.suggestion(for: upstream, among: upstreamNames) {
                    message += " (did you mean \(ConfigurationLoader.quoted(suggestion))?)"
                }
                reader.problem("upstream", message)
                return nil
            }
            return upstream
        }
        let clientCertificate = reader.choice("client_certificate", as: RouteCertificateRequirement.self)
        let maxBodySize = reader.byteSize("max_body_size")
        let responseTimeout = reader.duration("response_timeout")
        let preserveHost = reader.bool("preserve_host")
        let rewritePrefix = reader.string("rewrite_prefix").flatMap {
            self.checkPathPrefix($0, at: reader.path("rewrite_prefix"))
        }
        reader.reportUnknownKeys()

        guard let name, let pathPrefix, let upstream else { return nil }
        return RouteConfiguration(
            name: name,
            host: host,
            pathPrefix: pathPrefix,
            methods: methods,
            upstream: upstream,
            clientCertificate: clientCertificate,
            maxBodySize: maxBodySize,
            responseTimeout: responseTimeout,
            preserveHost: preserveHost ?? true,
            rewritePrefix: rewritePrefix
        )
    }

    /// `methods`: a non-empty array of uppercase method tokens (RFC 9110 §9.1: methods are
    /// case-sensitive, so `post` would never match a `POST` request).
    private func readMethods(_ reader: ConfigurationLoader.TableReader) -> Set<String>? {
        guard let entries = reader.stringArray("methods") else { return nil }
        if entries.isEmpty, reader.value("methods")?.array?.isEmpty == true {
            reader.problem("methods", "must list at least one method; omit the key to allow any method")
            return nil
        }
        var methods: Set<String> = []
        for entry in entries {
            let isToken = !entry.value.isEmpty && entry.value.allSatisfy(Self.isTokenCharacter)
            if !isToken {
                let quotedMethod = ConfigurationLoader.quoted(entry.value)
                self.diagnostics.problem(entry.keyPath, "\(quotedMethod) is not a valid method")
            } else if entry.value != entry.value.uppercased() {
                self.diagnostics.problem(
                    entry.keyPath,
                    "methods are case-sensitive and must be uppercase; did you mean "
                        + "\(ConfigurationLoader.quoted(entry.value.uppercased()))?"
                )
            } else {
                methods.insert(entry.value)
            }
        }
        return methods
    }

    /// Checks a `path_prefix` / `rewrite_prefix`: starts with `/`; only characters allowed in an
    /// RFC 3986 path; no query or fragment; no `.` or `..` segment (which a normalising upstream
    /// would resolve differently from the gateway, a classic route-bypass).
    private func checkPathPrefix(_ prefix: String, at keyPath: String) -> String? {
        guard prefix.hasPrefix("/") else {
            self.diagnostics.problem(keyPath, "must start with \"/\"")
            return nil
        }
        let allowed = "-._~!$&'()*+,;=:@/%"
        guard prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || allowed.contains($0)) }) else {
            self.diagnostics.problem(
                keyPath,
                "\(ConfigurationLoader.quoted(prefix)) contains characters not allowed in a URL path "
                    + "(no query, fragment, spaces or non-ASCII)"
            )
            return nil
        }
        if prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
            self.diagnostics.problem(keyPath, "must not contain \".\" or \"..\" segments")
            return nil
        }
        return prefix
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "!#$%&'*+-.^_`|~".contains(character))
    }

    /// Warns about upstreams no route uses (usually a typo in a route's `upstream`, caught
    /// elsewhere, or a leftover).
    func warnAboutUnusedUpstreams(_ upstreams: [UpstreamConfiguration], routes: [RouteConfiguration]) {
        let used = Set(routes.map(\.upstream))
        for (index, upstream) in upstreams.enumerated() where !used.contains(upstream.name) {
            self.diagnostics.warning(
                "upstream[\(index)] \(ConfigurationLoader.quoted(upstream.name))",
                "not used by any route"
            )
        }
    }

    /// Warns about routes that require a client certificate when no listener asks for one: every
    /// request to them will be refused.
    func warnAboutUnsatisfiableRoutes(_ routes: [RouteConfiguration], listeners: [ListenerConfiguration]) {
        guard listeners.allSatisfy({ $0.clientCertificate == ClientCertificateMode.none }) else { return }
        for (index, route) in routes.enumerated() where route.clientCertificate == .required {
            self.diagnostics.warning(
                "route[\(index)] \(ConfigurationLoader.quoted(route.name)).client_certificate",
                "\"required\" but no listener requests client certificates"
            )
        }
    }
}
