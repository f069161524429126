import AsyncHTTPClient
import Foundation
import MTLSIdentity
import NIOCore
import RegistrationCore

/// Verifies the demo API's bearer tokens: the JWS signature against the authorization server's
/// `/jwks` (fetched once, fetched again for an unknown `kid`), then ``BoundTokenPolicy``, then,
/// when configured, whether the token is still active (``IntrospectionCheck``, RFC 7662).
///
/// Why offline first (RFC 9068): it is how most resource servers check JWT access tokens, and it
/// shows that the certificate binding is enforced by the API itself, from the token and the
/// gateway's `Client-Cert` alone. Offline alone, a token of a deleted client would keep working
/// until its `exp` (10 minutes); introspection closes that (`ob-sandbox up` always configures it;
/// `ob-sandbox resource-server` with `--introspection-user`).
actor AccessTokenVerifier {
    /// The algorithms the AS signs with (PS256 for RSA keys, ES256 for P-256): never `none` or HS*.
    static let allowedAlgorithms: Set<JWSAlgorithm> = [.ps256, .es256]

    private let jwksURL: String
    private let policy: BoundTokenPolicy
    private let client: HTTPClient
    private let introspection: IntrospectionCheck?
    private var keySet: JSONWebKeySet?

    /// A verifier fetching keys from `<authorizationServerURL>/jwks` and, with `introspection`,
    /// asking `<authorizationServerURL>/introspect` about tokens that pass the offline checks.
    init(
        authorizationServerURL: String,
        policy: BoundTokenPolicy,
        introspection: IntrospectionCredentials? = nil,
        client: HTTPClient = .shared
    ) {
        self.jwksURL = authorizationServerURL + "/jwks"
        self.policy = policy
        self.client = client
        self.introspection = introspection.map {
            IntrospectionCheck(url: authorizationServerURL + "/introspect", credentials: $0, client: client)
        }
    }

    /// Checks the `Authorization` header value and the forwarded `Client-Cert` value.
    func verify(authorization: String?, clientCertificate: String?, now: Date = Date()) async
        -> Result<BoundTokenPolicy.Accepted, TokenRefusal>
    {
        guard let authorization, !authorization.isEmpty else {
            return .failure(TokenRefusal(status: 401, error: nil, description: "a bearer access token is required"))
        }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .failure(
                TokenRefusal(status: 401, error: "invalid_request", description: "the Authorization header must be 'Bearer <token>'")
            )
        }
        let jws: CompactJWS
        do {
            jws = try CompactJWS.parse(String(parts[1]), maximumLength: 16_384)
        } catch {
            return .failure(.invalidToken("the token is not a JWT (\(error))"))
        }
        if let refusal = await self.checkSignature(jws) {
            return .failure(refusal)
        }
        guard let claims = try? jws.claims() else {
            return .failure(.invalidToken("the token's payload is not a JSON object"))
        }
        let thumbprint: String?
        switch Self.thumbprint(clientCertificate) {
        case .success(let value): thumbprint = value
        case .failure(let refusal): return .failure(refusal)
        }
        let decision = self.policy.evaluate(type: jws.header.type, claims: claims, presentedThumbprint: thumbprint, now: now)
        guard case .success = decision, let introspection = self.introspection else {
            return decision
        }
        if let refusal = await introspection.refusal(for: String(parts[1])) {
            return .failure(refusal)
        }
        return decision
    }

    /// Nil when the signature verifies with the AS's key named by `kid`.
    private func checkSignature(_ jws: CompactJWS) async -> TokenRefusal? {
        for refresh in [false, true] {
            let keys: JSONWebKeySet
            do {
                keys = try await self.keys(refresh: refresh)
            } catch {
                return TokenRefusal(
                    status: 503,
                    error: "temporarily_unavailable",
                    description: "the authorization server's keys could not be fetched"
                )
            }
            do {
                try JWSVerifier.verify(jws, in: keys, allowedAlgorithms: Self.allowedAlgorithms)
                return nil
            } catch .unknownKeyID where !refresh {
                continue  // the AS may have a new key: fetch once more
            } catch {
                return .invalidToken("the token's signature is not the authorization server's (\(error))")
            }
        }
        return .invalidToken("the token's signing key is unknown")
    }

    private func keys(refresh: Bool) async throws -> JSONWebKeySet {
        if !refresh, let keySet = self.keySet {
            return keySet
        }
        let response = try await self.client.execute(HTTPClientRequest(url: self.jwksURL), timeout: .seconds(5))
        guard response.status == .ok else {
            throw TokenRefusal(status: 503, error: nil, description: "GET /jwks answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 1 << 16)
        let keySet = try JSONWebKeySet(parsing: Array(body.readableBytesView))
        self.keySet = keySet
        return keySet
    }

    /// The `x5t#S256` of the certificate in a `Client-Cert` value (RFC 9440 §2.2); nil without one.
    static func thumbprint(_ clientCertificate: String?) -> Result<String?, TokenRefusal> {
        guard let clientCertificate else {
            return .success(nil)
        }
        do {
            let der = try RFC9440.decodeCertificate(clientCertificate)
            // The gateway validated this chain; here only the exact DER's SHA-256 is needed.
            return .success(try ClientIdentity(validatedChainDER: [der]).thumbprintS256)
        } catch {
            return .failure(TokenRefusal(status: 400, error: "invalid_request", description: "the Client-Cert header is malformed"))
        }
    }
}
