import Foundation
import GatewayCore
import Hummingbird
import Logging
import NIOCore
import RegistrationCore
import ServiceLifecycle

/// The demo Open Banking API behind the gateway: `GET /open-banking/v3.1/aisp/accounts`, served
/// only for a valid access token bound to the certificate the TPP presented (``AccessTokenVerifier``).
///
/// Plain HTTP on loopback (in `ob-sandbox up`) or on a private container network (`ob-sandbox
/// resource-server`, Docker/compose.yaml): the gateway terminates MTLS and forwards the verified
/// certificate in `Client-Cert` (RFC 9440). Only the gateway can reach it, and the gateway strips
/// inbound `Client-Cert` headers, so the header can be believed (RFC 9440 §3).
final class DemoResourceServer: Service, Sendable {
    /// The API path.
    static let accountsPath = "/open-banking/v3.1/aisp/accounts"

    private let application: Application<RouterResponder<BasicRequestContext>>
    private let bound: BoundPortPromise

    /// A server on `host:port` verifying tokens with `verifier`.
    init(host: String = PortPreflight.host, port: Int, verifier: AccessTokenVerifier, logger: Logger) {
        let router = Router(context: BasicRequestContext.self)
        router.get(RouterPath(Self.accountsPath)) { request, _ in
            await Self.accounts(request, verifier: verifier, logger: logger)
        }
        let bound = BoundPortPromise()
        self.bound = bound
        self.application = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port),
                serverName: "ob-sandbox-resource-server"
            ),
            onServerRunning: { channel in
                await bound.resolve(.success(channel.localAddress?.port ?? port))
            },
            logger: logger
        )
    }

    /// The bound port, once listening.
    var boundPort: Int {
        get async throws { try await self.bound.value() }
    }

    /// Serves until graceful shutdown.
    func run() async throws {
        do {
            try await self.application.run()
            await self.bound.resolve(.failure(CancellationError()))
        } catch {
            await self.bound.resolve(.failure(error))
            throw error
        }
    }

    /// The accounts endpoint: 200 with two sandbox accounts, or the RFC 6750 refusal.
    static func accounts(_ request: Request, verifier: AccessTokenVerifier, logger: Logger) async -> Response {
        let clientCertificate = request.headers.first {
            $0.name.canonicalName == IdentityHeaderNames.clientCert.lowercased()
        }?.value
        let outcome = await verifier.verify(
            authorization: request.headers[.authorization],
            clientCertificate: clientCertificate
        )
        switch outcome {
        case .success(let accepted):
            logger.info("accounts served", metadata: ["client_id": "\(accepted.clientID)"])
            return Self.json(Self.accountsDocument(), status: .ok)
        case .failure(let refusal):
            logger.info("accounts refused", metadata: ["status": "\(refusal.status)", "reason": "\(refusal.description)"])
            return Self.refusal(refusal)
        }
    }

    /// RFC 6750 §3: `WWW-Authenticate: Bearer error="…", error_description="…"` and the same as JSON.
    static func refusal(_ refusal: TokenRefusal) -> Response {
        var challenge = #"Bearer realm="ob-sandbox""#
        var body: [String: JSONValue] = ["error_description": .string(refusal.description)]
        if let error = refusal.error {
            challenge += #", error="\#(error)""#
            body["error"] = .string(error)
        }
        // Quotes and backslashes cannot occur in our descriptions' values, but never trust that.
        let description = refusal.description.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\\", with: "/")
        challenge += #", error_description="\#(description)""#
        var response = Self.json(.object(body), status: HTTPResponse.Status(code: refusal.status))
        if refusal.status == 401 || refusal.status == 403 {
            response.headers[.wwwAuthenticate] = challenge
        }
        return response
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serializedBytes())))
    }

    /// Two accounts in the Open Banking Read/Write API v3.1 shape.
    static func accountsDocument() -> JSONValue {
        func account(_ id: String, _ nickname: String, _ number: String) -> JSONValue {
            [
                "AccountId": .string(id),
                "Status": "Enabled",
                "Currency": "GBP",
                "AccountType": "Personal",
                "AccountSubType": "CurrentAccount",
                "Nickname": .string(nickname),
                "Account": [
                    [
                        "SchemeName": "UK.OBIE.SortCodeAccountNumber",
                        "Identification": .string(number),
                        "Name": "Ms Sandbox",
                    ]
                ],
            ]
        }
        return [
            "Data": ["Account": [account("22289", "Bills", "80200110203345"), account("31820", "Savings", "80200110203348")]],
            "Links": ["Self": .string(Self.accountsPath)],
            "Meta": ["TotalPages": 1],
        ]
    }
}
