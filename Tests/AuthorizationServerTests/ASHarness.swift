import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RegistrationCore
import Synchronization

@testable import AuthorizationServer

/// A settable clock for tests.
final class ASTestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date()) {
        self.current = Mutex(start)
    }

    var now: Date {
        self.current.withLock { $0 }
    }

    func advance(by seconds: TimeInterval) {
        self.current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date {
        { self.now }
    }
}

/// The server's router over an in-memory store and a fake keystore, tested with
/// HummingbirdTesting's `.router` framework (no sockets).
struct ASHarness: Sendable {
    let store: InMemoryClientStore
    let transport: ASFakeJWKSTransport
    let clock: ASTestClock
    let dependencies: EndpointDependencies

    static let logger: Logger = {
        var logger = Logger(label: "authorization-server-tests")
        logger.logLevel = .critical
        return logger
    }()

    init(configuration: AuthorizationServerConfiguration = ASFixtures.configuration()) async throws {
        self.store = InMemoryClientStore()
        self.transport = await ASFakeJWKSTransport.standard()
        self.clock = ASTestClock()
        let fetcher = JWKSFetcher(
            transport: self.transport,
            clock: self.clock.function,
            logger: Self.logger,
            minimumRefreshInterval: .zero
        )
        self.dependencies = try EndpointDependencies(
            configuration: configuration,
            store: self.store,
            fetcher: fetcher,
            clock: self.clock.function
        )
    }

    /// Runs `body` against the router.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = AuthorizationServerApplication.makeRouter(self.dependencies, context: ASTestRequestContext.self)
        let application = Application(router: router, logger: Self.logger)
        try await application.test(.router) { client in
            try await body(client)
        }
    }

    /// A registered client: its id and the credentials the 201 returned.
    struct Registered: Sendable {
        let clientID: String
        let registrationAccessToken: String
        let clientSecret: String?
        let body: [String: JSONValue]
    }
}

extension TestClientProtocol {
    /// Sends a request with a string body.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> TestResponse {
        try await self.executeRequest(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
    }

    /// `POST /register` with a request JWT.
    func register(
        _ jwt: String,
        identity: HTTPFields = ASFixtures.identityHeaders(),
        contentType: String = "application/jwt"
    ) async throws -> TestResponse {
        var headers = identity
        headers[.contentType] = contentType
        return try await self.send(.post, "/register", headers: headers, body: jwt)
    }

    /// Registers a client with `method` and returns its credentials (expects a 201).
    func registerClient(
        method: String = "tls_client_auth",
        _ modify: (inout [String: JSONValue]) -> Void = { _ in }
    ) async throws -> ASHarness.Registered {
        let response = try await self.register(ASFixtures.requestJWT(method: method, modify))
        guard response.status == .created else {
            throw ASTestFailure("registration failed: \(response.status) \(String(buffer: response.body))")
        }
        let body = response.jsonObject
        return ASHarness.Registered(
            clientID: body["client_id"]?.stringValue ?? "",
            registrationAccessToken: body["registration_access_token"]?.stringValue ?? "",
            clientSecret: body["client_secret"]?.stringValue,
            body: body
        )
    }

    /// `POST /token` with a form body.
    func token(
        _ form: String,
        identity: HTTPFields = ASFixtures.identityHeaders(),
        authorization: String? = nil
    ) async throws -> TestResponse {
        var headers = identity
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let authorization {
            headers[.authorization] = authorization
        }
        return try await self.send(.post, "/token", headers: headers, body: form)
    }

    /// An access token for a `tls_client_auth` client (expects a 200).
    func accessToken(for clientID: String, identity: HTTPFields = ASFixtures.identityHeaders()) async throws -> String {
        let response = try await self.token("grant_type=client_credentials&client_id=\(clientID)", identity: identity)
        guard response.status == .ok, let token = response.jsonObject["access_token"]?.stringValue else {
            throw ASTestFailure("token request failed: \(response.status) \(String(buffer: response.body))")
        }
        return token
    }

    /// A management request with a Bearer token.
    func manage(
        _ method: HTTPRequest.Method,
        _ clientID: String,
        bearer: String?,
        identity: HTTPFields = ASFixtures.identityHeaders(),
        body: String? = nil
    ) async throws -> TestResponse {
        var headers = identity
        if let bearer {
            headers[.authorization] = "Bearer \(bearer)"
        }
        if body != nil {
            headers[.contentType] = "application/jwt"
        }
        return try await self.send(method, "/register/\(clientID)", headers: headers, body: body)
    }

    /// `POST /introspect` as the configured resource server.
    func introspect(_ token: String, secret: String = ASFixtures.introspectionSecret) async throws -> TestResponse {
        let basic = Data("\(ASFixtures.introspectionUser):\(secret)".utf8).base64EncodedString()
        let headers: HTTPFields = [.authorization: "Basic \(basic)", .contentType: "application/x-www-form-urlencoded"]
        return try await self.send(.post, "/introspect", headers: headers, body: "token=\(token)")
    }
}

extension TestResponse {
    /// The body as a JSON object (empty when it is not one).
    var jsonObject: [String: JSONValue] {
        (try? JSONValue.parse(Array(buffer: self.body)))?.objectValue ?? [:]
    }

    /// The `error` member.
    var errorCode: String? {
        self.jsonObject["error"]?.stringValue
    }

    /// The `error_description` member.
    var errorDescription: String {
        self.jsonObject["error_description"]?.stringValue ?? ""
    }
}

/// A failed precondition inside a test helper.
struct ASTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
