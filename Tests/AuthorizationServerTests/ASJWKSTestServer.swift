import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import OpenBankingSandbox

/// A small HTTPS server on loopback (port 0) for the JWKS fetcher: TLS with the sandbox server
/// certificate (chain to the sandbox root), and per-path behaviour: a document, a status, a
/// never-answered request, or an oversized body.
final class ASJWKSTestServer: Sendable {
    enum Behaviour: Sendable {
        case document([UInt8])
        case status(Int)
        /// Accept the request and never answer.
        case hang
    }

    private let channel: any Channel
    private let requestCount: NIOLockedValueBox<Int>
    private let connections: NIOLockedValueBox<[any Channel]>
    /// The bound port.
    let port: Int

    private init(
        channel: any Channel,
        requestCount: NIOLockedValueBox<Int>,
        connections: NIOLockedValueBox<[any Channel]>
    ) {
        self.channel = channel
        self.requestCount = requestCount
        self.connections = connections
        self.port = channel.localAddress?.port ?? 0
    }

    /// Requests received so far.
    var requests: Int {
        self.requestCount.withLockedValue { $0 }
    }

    /// `https://localhost:<port><path>`.
    func url(_ path: String) -> String {
        "https://localhost:\(self.port)\(path)"
    }

    /// Starts the server; `behaviour` maps a request path to what to do.
    static func start(
        pki: SandboxPKI = ASFixtures.pki,
        behaviour: @escaping @Sendable (String) -> Behaviour
    ) async throws -> ASJWKSTestServer {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [
                .certificate(try NIOSSLCertificate(bytes: pki.server.derBytes, format: .der)),
                .certificate(try NIOSSLCertificate(bytes: pki.issuingCA.derBytes, format: .der)),
            ],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.server.privateKeyPEM.utf8), format: .pem))
        )
        let context = try NIOSSLContext(configuration: configuration)
        let count = NIOLockedValueBox(0)
        let connections = NIOLockedValueBox<[any Channel]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.withLockedValue { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLServerHandler(context: context))
                    try sync.configureHTTPServerPipeline()
                    try sync.addHandler(Handler(behaviour: behaviour, count: count))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return ASJWKSTestServer(channel: channel, requestCount: count, connections: connections)
    }

    /// Stops listening and closes every accepted connection (so clients need not wait for a TLS
    /// close_notify that a hanging handler would never send).
    func stop() async throws {
        try await self.channel.close()
        for connection in self.connections.withLockedValue({ $0 }) {
            try? await connection.close()
        }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let behaviour: @Sendable (String) -> Behaviour
        let count: NIOLockedValueBox<Int>
        var path = ""

        init(behaviour: @escaping @Sendable (String) -> Behaviour, count: NIOLockedValueBox<Int>) {
            self.behaviour = behaviour
            self.count = count
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch self.unwrapInboundIn(data) {
            case .head(let head):
                self.path = head.uri
            case .body:
                break
            case .end:
                self.count.withLockedValue { $0 += 1 }
                self.respond(context: context, self.behaviour(self.path))
            }
        }

        private func respond(context: ChannelHandlerContext, _ behaviour: Behaviour) {
            let status: HTTPResponseStatus
            let body: [UInt8]
            switch behaviour {
            case .hang:
                return
            case .document(let bytes):
                status = .ok
                body = bytes
            case .status(let code):
                status = HTTPResponseStatus(statusCode: code)
                body = Array("{\"error\":\"internal detail that must not leak\"}".utf8)
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
            context.write(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
