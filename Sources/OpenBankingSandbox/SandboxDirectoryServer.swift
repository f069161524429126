import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization
import X509

/// The sandbox directory's HTTPS listener: the keystore JWKS paths and `POST /ssa`
/// (``SandboxDirectoryRouter``), over TLS with the sandbox server certificate.
///
/// Why HTTPS with the sandbox chain: the real keystore's TLS chains to the OB roots, not to a
/// public CA (open-banking.md §6), so an authorization server must be configured with the right
/// trust roots to fetch JWKS. Serving the sandbox server certificate (issued by the sandbox
/// issuing CA) makes the sandbox exercise exactly that configuration. No client certificate is
/// requested: JWKS are public.
public final class SandboxDirectoryServer: Service, Sendable {
    /// Where and how to listen.
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port to bind; `0` picks a free one (see ``SandboxDirectoryServer/boundPort``).
        public var port: Int
        /// The server certificate followed by its intermediates (sent in the handshake).
        public var certificateChain: [Certificate]
        /// The server certificate's private key.
        public var privateKey: Certificate.PrivateKey
        /// The base URL written into SSAs issued by `POST /ssa`; default
        /// `https://localhost:<bound port>`.
        public var publicBaseURL: String?

        /// A configuration from its parts.
        public init(
            host: String = "127.0.0.1",
            port: Int,
            certificateChain: [Certificate],
            privateKey: Certificate.PrivateKey,
            publicBaseURL: String? = nil
        ) {
            self.host = host
            self.port = port
            self.certificateChain = certificateChain
            self.privateKey = privateKey
            self.publicBaseURL = publicBaseURL
        }

        /// Serves the PKI's server certificate (it covers `localhost`, `127.0.0.1` and `::1`)
        /// with its issuing CA.
        public init(pki: SandboxPKI, host: String = "127.0.0.1", port: Int, publicBaseURL: String? = nil) {
            self.init(
                host: host,
                port: port,
                certificateChain: [pki.server.certificate, pki.issuingCA.certificate],
                privateKey: pki.server.privateKey,
                publicBaseURL: publicBaseURL
            )
        }
    }

    private enum BindState {
        case waiting([CheckedContinuation<Int, any Error>])
        case bound(Int)
        case failed(any Error)
    }

    private let configuration: Configuration
    private let directory: @Sendable () throws -> SandboxDirectory
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bindState = Mutex(BindState.waiting([]))
    private let baseURL = Mutex<String>("")

    /// A server answering from `directory`, called for every request (off the event loop), so it
    /// may re-read state from disk.
    public init(
        configuration: Configuration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "ob-sandbox.directory"),
        directory: @escaping @Sendable () throws -> SandboxDirectory
    ) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.directory = directory
    }

    /// A server answering from a fixed directory.
    public convenience init(
        configuration: Configuration,
        directory: SandboxDirectory,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "ob-sandbox.directory")
    ) {
        self.init(configuration: configuration, group: group, logger: logger) { directory }
    }

    /// The port actually bound: waits until ``run()`` has bound, throws if binding failed.
    public var boundPort: Int {
        get async throws {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let result: Result<Int, any Error>? = self.bindState.withLock { state in
                    switch state {
                    case .waiting(var waiters):
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    case .bound(let port):
                        return .success(port)
                    case .failed(let error):
                        return .failure(error)
                    }
                }
                if let result {
                    continuation.resume(with: result)
                }
            }
        }
    }

    /// The base URL of this server as written into SSAs (empty until bound).
    public var publicBaseURL: String {
        self.baseURL.withLock { $0 }
    }

    /// Binds, serves until graceful shutdown or cancellation, then closes the listener and every
    /// open connection.
    ///
    /// - Throws: ``SandboxDirectoryServerError/portInUse(host:port:)`` and the like when binding fails.
    public func run() async throws {
        let server: NIOAsyncChannel<any Channel, Never>
        do {
            server = try await self.bind()
        } catch {
            let failure = SandboxDirectoryServerError(bindError: error, host: self.configuration.host, port: self.configuration.port)
            self.logger.error("cannot bind the sandbox directory", metadata: ["error": "\(failure)"])
            self.resolveBind(.failure(failure))
            throw failure
        }
        let port = server.channel.localAddress?.port ?? self.configuration.port
        self.baseURL.withLock { $0 = self.configuration.publicBaseURL ?? "https://localhost:\(port)" }
        self.resolveBind(.success(port))
        self.logger.info(
            "sandbox directory listening",
            metadata: ["address": "\(self.configuration.host)", "port": "\(port)"]
        )
        let children = try await server.executeThenClose { inbound in
            var children: [any Channel] = []
            for try await child in inbound.cancelOnGracefulShutdown() {
                children.removeAll { !$0.isActive }
                children.append(child)
            }
            return children
        }
        for child in children where child.isActive {
            try? await child.close()
        }
        self.logger.info("sandbox directory stopped", metadata: ["port": "\(port)"])
    }

    private func bind() async throws -> NIOAsyncChannel<any Channel, Never> {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try self.configuration.certificateChain.map { .certificate(try NIOSSLConversion.certificate($0)) },
            privateKey: .privateKey(try NIOSSLConversion.privateKey(self.configuration.privateKey))
        )
        tls.minimumTLSVersion = .tlsv12
        let context = try NIOSSLContext(configuration: tls)
        let responder = self.makeResponder()
        return try await ServerBootstrap(group: self.group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: self.configuration.host, port: self.configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(SandboxDirectoryHTTPHandler(responder: responder))
                    return channel
                }
            }
    }

    private func makeResponder() -> SandboxDirectoryHTTPHandler.Responder {
        let provider = self.directory
        let logger = self.logger
        return { [self] method, uri, body in
            let router = SandboxDirectoryRouter(jwksBaseURL: self.publicBaseURL)
            let directory: SandboxDirectory
            do {
                directory = try provider()
            } catch {
                logger.error("cannot load the sandbox directory", metadata: ["error": "\(error)"])
                return SandboxDirectoryRouter.Response(
                    status: .internalServerError,
                    contentType: "application/json",
                    body: Array(#"{"error":"server_error","error_description":"the directory could not be loaded"}"#.utf8)
                )
            }
            let response = router.respond(method: method, uri: uri, body: body, directory: directory)
            logger.debug("request", metadata: ["method": "\(method)", "uri": "\(uri)", "status": "\(response.status.code)"])
            return response
        }
    }

    private func resolveBind(_ result: Result<Int, any Error>) {
        let waiters: [CheckedContinuation<Int, any Error>] = self.bindState.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            switch result {
            case .success(let port): state = .bound(port)
            case .failure(let error): state = .failed(error)
            }
            return waiters
        }
        for waiter in waiters {
            waiter.resume(with: result)
        }
    }
}
