import Foundation
import Logging
import RegistrationCore

/// Where a JWKS lives.
enum JWKSLocation: Sendable, Hashable, CustomStringConvertible {
    /// An `https` URL (directory keystore, `software_jwks_endpoint`).
    case url(String)
    /// A local file (a configured directory JWKS only; never taken from an SSA).
    case file(String)

    /// The URL or path, for logs and descriptions.
    var description: String {
        switch self {
        case .url(let url): return url
        case .file(let path): return path
        }
    }
}

/// One JWKS to obtain, with the rules of the directory it belongs to.
struct JWKSRequest: Sendable, Hashable {
    /// Where the set is published.
    var location: JWKSLocation
    /// The directory whose TLS trust roots apply (its configured name).
    var trustDomain: String
    /// How long a fetched set is used before it is fetched again.
    var cacheTTL: Duration
    /// The bound on one fetch, connection to last byte.
    var fetchTimeout: Duration
}

/// Fetches and caches JWKS documents: directory key sets and software key sets.
///
/// Rules (issue 3, "JOSE handling" and "Bad input, faults"):
/// - a set is cached for the directory's `jwks_cache_ttl`, then fetched again;
/// - an unknown `kid` causes at most one refresh (``verify(_:using:allowedAlgorithms:)``), and
///   forced refreshes of one set are spaced by ``minimumRefreshInterval`` so that a stream of
///   requests with random `kid`s cannot turn the server into a fetch amplifier;
/// - concurrent requests for the same set share one fetch;
/// - every fetch is bounded in time and size, and a failure is an error (never stale keys: the
///   directory may have revoked one).
actor JWKSFetcher {
    /// Cached sets, by location and trust domain.
    private struct CacheKey: Hashable {
        let location: JWKSLocation
        let trustDomain: String
    }

    private struct Entry {
        let keySet: JSONWebKeySet
        let fetchedAt: Date
    }

    private let transport: any JWKSTransport
    private let clock: @Sendable () -> Date
    private let logger: Logger
    /// Forced refreshes of one set are at least this far apart.
    let minimumRefreshInterval: Duration
    /// The largest JWKS document accepted.
    let maximumDocumentBytes: Int
    /// The number of cached sets kept (software sets are per TPP software).
    let maximumEntries: Int

    private var cache: [CacheKey: Entry] = [:]
    private var inFlight: [CacheKey: Task<JSONWebKeySet, any Error>] = [:]

    /// A fetcher over `transport`.
    init(
        transport: any JWKSTransport,
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger,
        minimumRefreshInterval: Duration = .seconds(10),
        maximumDocumentBytes: Int = 262_144,
        maximumEntries: Int = 2_048
    ) {
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.minimumRefreshInterval = minimumRefreshInterval
        self.maximumDocumentBytes = maximumDocumentBytes
        self.maximumEntries = maximumEntries
    }

    /// The key set for `request`: the cached one while fresh, else fetched. With `refresh`, a
    /// cached set older than ``minimumRefreshInterval`` is fetched again.
    func keySet(for request: JWKSRequest, refresh: Bool = false) async throws(JWKSFetcherError) -> JSONWebKeySet {
        let key = CacheKey(location: request.location, trustDomain: request.trustDomain)
        let now = self.clock()
        if let entry = self.cache[key] {
            let age = now.timeIntervalSince(entry.fetchedAt)
            let fresh = age >= 0 && age < request.cacheTTL.inSeconds
            let recentlyFetched = age >= 0 && age < self.minimumRefreshInterval.inSeconds
            if (fresh && !refresh) || (refresh && recentlyFetched) {
                return entry.keySet
            }
        }
        if let task = self.inFlight[key] {
            return try await Self.value(of: task)
        }
        let task = Task { [transport, maximumDocumentBytes] () async throws -> JSONWebKeySet in
            try await Self.load(request, transport: transport, maximumBytes: maximumDocumentBytes)
        }
        self.inFlight[key] = task
        defer { self.inFlight[key] = nil }
        do throws(JWKSFetcherError) {
            let keySet = try await Self.value(of: task)
            self.store(keySet, for: key, at: self.clock())
            if !keySet.skipped.isEmpty {
                self.logger.debug(
                    "JWKS keys skipped",
                    metadata: ["jwks": "\(request.location)", "skipped": "\(keySet.skipped.count)"]
                )
            }
            return keySet
        } catch {
            self.cache[key] = nil
            self.logger.notice(
                "JWKS unavailable",
                metadata: ["jwks": "\(request.location)", "reason": "\(error)"]
            )
            throw error
        }
    }

    /// Forgets every cached set.
    func removeAll() {
        self.cache.removeAll()
    }

    private func store(_ keySet: JSONWebKeySet, for key: CacheKey, at now: Date) {
        if self.cache[key] == nil, self.cache.count >= self.maximumEntries,
            let oldest = self.cache.min(by: { $0.value.fetchedAt < $1.value.fetchedAt })?.key
        {
            self.cache[oldest] = nil
        }
        self.cache[key] = Entry(keySet: keySet, fetchedAt: now)
    }

    private static func value(of task: Task<JSONWebKeySet, any Error>) async throws(JWKSFetcherError) -> JSONWebKeySet {
        do {
            return try await task.value
        } catch let error as JWKSFetcherError {
            throw error
        } catch {
            throw .unreachable
        }
    }

    private static func load(
        _ request: JWKSRequest,
        transport: any JWKSTransport,
        maximumBytes: Int
    ) async throws(JWKSFetcherError) -> JSONWebKeySet {
        let bytes: [UInt8]
        switch request.location {
        case .url(let url):
            bytes = try await transport.fetch(
                url,
                trustDomain: request.trustDomain,
                timeout: request.fetchTimeout,
                maximumBytes: maximumBytes
            )
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .fileUnreadable
            }
            guard data.count <= maximumBytes else {
                throw .tooLarge(limit: maximumBytes)
            }
            bytes = Array(data)
        }
        do throws(JOSEError) {
            return try JSONWebKeySet(parsing: bytes, maximumLength: maximumBytes)
        } catch {
            throw .invalidDocument(Self.reason(error))
        }
    }

    private static func reason(_ error: JOSEError) -> String {
        if case .invalidKeySet(let reason) = error { return reason }
        return error.description
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var inSeconds: Double {
        let components = self.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
