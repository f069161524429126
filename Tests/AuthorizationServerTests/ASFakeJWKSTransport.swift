@testable import AuthorizationServer

/// A ``JWKSTransport`` serving canned answers by URL and counting fetches: the router tests' stand-in
/// for the keystore (the real HTTPS transport has its own tests).
actor ASFakeJWKSTransport: JWKSTransport {
    enum Answer: Sendable {
        case document([UInt8])
        case failure(JWKSFetcherError)
    }

    private var answers: [String: Answer] = [:]
    private(set) var fetches: [String: Int] = [:]

    init() {}

    /// Serves the directory and software JWKS of ``ASFixtures``.
    static func standard() async -> ASFakeJWKSTransport {
        let transport = ASFakeJWKSTransport()
        await transport.serve(ASFixtures.directoryJWKSURL, .document(ASFixtures.directoryJWKS))
        await transport.serve(ASFixtures.softwareJWKSURL, .document(ASFixtures.softwareJWKS))
        return transport
    }

    func serve(_ url: String, _ answer: Answer) {
        self.answers[url] = answer
    }

    func count(_ url: String) -> Int {
        self.fetches[url, default: 0]
    }

    func fetch(
        _ url: String,
        trustDomain: String,
        timeout: Duration,
        maximumBytes: Int
    ) async throws(JWKSFetcherError) -> [UInt8] {
        self.fetches[url, default: 0] += 1
        switch self.answers[url] {
        case .document(let bytes)?: return bytes
        case .failure(let error)?: throw error
        case nil: throw .httpStatus(404)
        }
    }
}
