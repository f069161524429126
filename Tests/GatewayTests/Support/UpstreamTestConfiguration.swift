import NIOSSL

/// Configuration fragments and TLS upstreams for `UpstreamTests`.
enum UpstreamTestConfiguration {
    /// One `[[upstream]]` named `backend`.
    static func upstream(
        servers: [String],
        connectTimeout: String = "2s",
        responseTimeout: String = "5s",
        extra: String = ""
    ) -> String {
        """
        [[upstream]]
        name = "backend"
        servers = [\(servers.map { "\"\($0)\"" }.joined(separator: ", "))]
        connect_timeout = "\(connectTimeout)"
        response_timeout = "\(responseTimeout)"
        \(extra)
        """
    }

    /// `backend` with one plain-HTTP server.
    static func upstream(_ server: UpstreamTestServer) -> String {
        Self.upstream(servers: ["http://127.0.0.1:\(server.port)"])
    }

    /// One route sending everything to `backend`.
    static let catchAll = """
        [[route]]
        name = "api"
        path_prefix = "/"
        upstream = "backend"
        """

    /// The exposition line prefix of `mtls_gateway_upstream_failures_total` for `backend`.
    static func failures(kind: String) -> String {
        #"mtls_gateway_upstream_failures_total{upstream="backend",kind="\#(kind)"}"#
    }

    /// An upstream serving the sandbox `server-chain.pem` (a server sends its intermediates);
    /// optionally requiring a client certificate from the sandbox CA.
    static func tlsServer(requireClientCertificate: Bool = false) async throws -> UpstreamTestServer {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(TestPKI.path("server-chain.pem")).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: TestPKI.path("server.key"), format: .pem))
        )
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(
                try NIOSSLCertificate.fromPEMFile(TestPKI.path("root-ca.pem"))
                    + NIOSSLCertificate.fromPEMFile(TestPKI.path("issuing-ca.pem"))
            )
        }
        return try await UpstreamTestServer.start(tls: tls)
    }

    /// `backend` as `https://localhost:PORT` with `[upstream.tls]`; `clientCertificate` makes the
    /// gateway present `tpp-transport.pem` (leaf only: the upstream knows the issuing CA).
    static func tlsUpstream(
        _ server: UpstreamTestServer,
        trustRoot: String = "root-ca.pem",
        clientCertificate: Bool = false,
        connectTimeout: String = "2s"
    ) -> String {
        var tls = """
            [upstream.tls]
            trust_roots = ["\(TestPKI.path(trustRoot))"]
            """
        if clientCertificate {
            tls += """

                certificate_chain = "\(TestPKI.path("tpp-transport.pem"))"
                private_key = "\(TestPKI.path("tpp-transport.key"))"
                """
        }
        return Self.upstream(servers: ["https://localhost:\(server.port)"], connectTimeout: connectTimeout, extra: tls)
    }
}
