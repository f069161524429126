import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import X509

/// A TPP talking to a bank through `mtls-gateway`: registration (`/register`), tokens (`/token`)
/// and registration management, over mutual TLS with the transport certificate.
///
/// Why its own HTTP client with pinned trust: the gateway's certificate chains to the sandbox (or
/// OB) root, not to a public CA, and the client must present its transport certificate on every
/// connection. Redirects are refused (a registration must not be replayed to another host), and a
/// refused connection fails at once with a clear error instead of being retried until a timeout.
public final class TPPClient: Sendable {
    /// The gateway's base URL (`https://localhost:8443`), without a trailing slash.
    public let gatewayURL: String
    /// The credentials in use.
    public let credentials: TPPCredentials
    /// The deadline of each request.
    public let timeout: Duration
    private let host: String
    private let client: HTTPClient

    /// A client for the gateway at `gatewayURL`.
    ///
    /// - Throws: ``TPPClientError/invalidGatewayURL(_:)``, or ``TPPClientError/tlsFailure(url:reason:)``
    ///   when the credentials cannot be loaded into TLS.
    public init(
        gatewayURL: String,
        credentials: TPPCredentials,
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(5)
    ) throws(TPPClientError) {
        var base = gatewayURL
        while base.hasSuffix("/") {
            base.removeLast()
        }
        guard let components = URLComponents(string: base), components.scheme?.lowercased() == "https",
            let host = components.host, !host.isEmpty
        else {
            throw .invalidGatewayURL(gatewayURL)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        do {
            tls.trustRoots = .certificates(try credentials.trustRoots.map(NIOSSLConversion.certificate))
            tls.certificateChain = try credentials.transportChain.map { .certificate(try NIOSSLConversion.certificate($0)) }
            tls.privateKey = .privateKey(try NIOSSLConversion.privateKey(credentials.transportKey))
        } catch {
            throw .tlsFailure(url: base, reason: "the certificates or key cannot be loaded into TLS (\(error))")
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .init(connectTimeout), read: .init(timeout)),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.gatewayURL = base
        self.credentials = credentials
        self.timeout = timeout
        self.host = host
    }

    /// `<gateway>/register`.
    public var registrationEndpoint: String {
        self.gatewayURL + "/register"
    }

    /// `<gateway>/token`: also the `aud` of `private_key_jwt` assertions.
    public var tokenEndpoint: String {
        self.gatewayURL + "/token"
    }

    /// Shuts the HTTP client down; call once when done.
    public func shutdown() async {
        try? await self.client.shutdown()
    }

    /// Sends one request and reads the whole response (at most 1 MiB).
    ///
    /// - Throws: a classified ``TPPClientError``.
    public func send(
        method: HTTPMethod,
        url: String,
        headers: [(String, String)] = [],
        body: [UInt8]? = nil
    ) async throws(TPPClientError) -> TPPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await self.client.execute(request, timeout: .init(self.timeout))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            return TPPResponse(
                status: Int(response.status.code),
                reason: response.status.reasonPhrase,
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer.readableBytesView)
            )
        } catch {
            throw TPPClientError.classify(error, url: url, host: self.host)
        }
    }
}
