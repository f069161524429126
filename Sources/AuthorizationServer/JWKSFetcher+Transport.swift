import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import SwiftASN1
import X509

/// Fetches the bytes of a remote JWKS. Injected into ``JWKSFetcher`` so that caching and the
/// refresh rules are tested without sockets; ``HTTPJWKSTransport`` is the production one.
protocol JWKSTransport: Sendable {
    /// GETs `url` with the TLS trust of `trustDomain` (a directory name), within `timeout`,
    /// reading at most `maximumBytes`.
    func fetch(
        _ url: String,
        trustDomain: String,
        timeout: Duration,
        maximumBytes: Int
    ) async throws(JWKSFetcherError) -> [UInt8]
}

/// The production ``JWKSTransport``: AsyncHTTPClient, one client per directory whose TLS trust is
/// that directory's `trust_roots` only.
///
/// Why per-directory trust: the OB keystore hosts chain to the OB roots, not to a public CA
/// (open-banking.md §6); trusting the system store as well would let any publicly trusted
/// certificate for a look-alike host serve keys. Redirects are refused (a JWKS URL comes from a
/// signed SSA; following a redirect would fetch keys from a place nobody signed). Also a
/// ``Service``: it shuts the clients down when the service group stops.
final class HTTPJWKSTransport: JWKSTransport, Service {
    private let clients: [String: HTTPClient]
    private let logger: Logger

    /// Creates one client per trust domain (`directory name → trust roots`; an empty list uses
    /// the system trust store).
    init(trustRoots: [String: [Certificate]], logger: Logger) throws {
        var clients: [String: HTTPClient] = [:]
        for (domain, roots) in trustRoots {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            if !roots.isEmpty {
                tls.trustRoots = .certificates(try roots.map(Self.nioCertificate))
            }
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: tls,
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(10), read: .seconds(10)),
                decompression: .disabled
            )
            configuration.httpVersion = .http1Only
            clients[domain] = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: configuration,
                backgroundActivityLogger: logger
            )
        }
        self.clients = clients
        self.logger = logger
    }

    /// Waits for graceful shutdown, then shuts every client down.
    func run() async throws {
        // Cancellation also ends the wait: the clients are shut down either way.
        try? await gracefulShutdown()
        await self.shutdown()
    }

    /// Shuts every client down (idempotent).
    func shutdown() async {
        for client in self.clients.values {
            try? await client.shutdown()
        }
    }

    func fetch(
        _ url: String,
        trustDomain: String,
        timeout: Duration,
        maximumBytes: Int
    ) async throws(JWKSFetcherError) -> [UInt8] {
        guard let client = self.clients[trustDomain],
            let components = URLComponents(string: url), components.scheme?.lowercased() == "https",
            components.host?.isEmpty == false
        else {
            throw .invalidLocation
        }
        // The client's own deadline fires first, so that a request that never got a connection
        // reports why (AsyncHTTPClient retries failed connects until the deadline, then throws the
        // last connect error: a TLS failure stays a TLS failure). The racing deadline is the hard
        // bound on the whole exchange, body included.
        let clientTimeout = max(timeout * 0.9, .milliseconds(10))
        do {
            return try await Deadline.run(within: timeout) {
                try await Self.get(url, client: client, maximumBytes: maximumBytes, timeout: clientTimeout)
            }
        } catch let error as JWKSFetcherError {
            throw error
        } catch is DeadlineExceeded {
            throw .timedOut
        } catch let error as HTTPClientError where Self.timeouts.contains(error) {
            throw .timedOut
        } catch {
            self.logger.info("JWKS fetch failed", metadata: ["url": "\(url)", "error": "\(error)"])
            throw .unreachable
        }
    }

    /// AsyncHTTPClient's ways of saying "not in time".
    private static let timeouts: [HTTPClientError] = [
        .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout,
    ]

    private static func get(
        _ url: String,
        client: HTTPClient,
        maximumBytes: Int,
        timeout: Duration
    ) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await client.execute(request, timeout: TimeAmount(timeout))
        guard response.status == .ok else {
            throw JWKSFetcherError.httpStatus(Int(response.status.code))
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumBytes {
            throw JWKSFetcherError.tooLarge(limit: maximumBytes)
        }
        var bytes: [UInt8] = []
        for try await chunk in response.body {
            guard bytes.count + chunk.readableBytes <= maximumBytes else {
                throw JWKSFetcherError.tooLarge(limit: maximumBytes)
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    private static func nioCertificate(_ certificate: Certificate) throws -> NIOSSLCertificate {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
    }
}

extension TimeAmount {
    /// The same span in NIO's representation (nanoseconds, saturating).
    init(_ duration: Duration) {
        let components = duration.components
        let nanoseconds = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total =
            nanoseconds.overflow ? Int64.max : nanoseconds.partialValue &+ components.attoseconds / 1_000_000_000
        self = .nanoseconds(total)
    }
}
