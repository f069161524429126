import Foundation
import MTLSIdentity
import NIOCore
import NIOPosix
import OpenBankingSandbox
import RegistrationCore
import Testing
import X509

@Suite("TPP client: request JWT and errors")
struct TPPClientTests {
    let fixtures: SandboxFixtures

    init() throws {
        self.fixtures = try SandboxFixtures.shared()
    }

    /// The SSA, the software JWKS and a validated transport identity for `transport`.
    func context(transport: IssuedCertificate) throws -> (ssa: String, jwks: JSONWebKeySet, identity: ClientIdentity) {
        let pki = self.fixtures.pki
        let ssa = try self.fixtures.directory.issueSoftwareStatement(self.fixtures.ssaRequest())
        let jwks = try JSONWebKeySet(
            parsing: #require(
                try self.fixtures.directory.softwareJWKS(orgID: SandboxFixtures.orgID, softwareID: SandboxFixtures.softwareID)
            ).serializedBytes()
        )
        let identity = try ClientIdentity(
            validatedChain: [transport.certificate, pki.issuingCA.certificate, pki.root.certificate])
        return (ssa, jwks, identity)
    }

    /// Verifies the request JWT as the authorization server does, then runs every DCR rule.
    func validate(_ requestJWT: String, ssa: String, jwks: JSONWebKeySet, identity: ClientIdentity) throws
        -> Result<ValidatedRegistration, RegistrationError>
    {
        let jws = try CompactJWS.parse(requestJWT)
        try JWSVerifier.verify(jws, in: jwks, allowedAlgorithms: [.ps256, .es256])
        let ssaJWS = try CompactJWS.parse(ssa)
        try JWSVerifier.verify(
            ssaJWS,
            in: JSONWebKeySet(parsing: self.fixtures.directory.directoryJWKS().serializedBytes()),
            allowedAlgorithms: [.ps256]
        )
        var policy = RegistrationPolicy(audiences: [RegistrationRequestBuilder.sandboxAudience])
        policy.softwareStatementIssuers = [SandboxDirectory.defaultIssuer]
        return RegistrationValidator.validate(
            request: try RegistrationRequest(jws: jws),
            ssa: try SoftwareStatement(jws: ssaJWS),
            presented: identity,
            softwareTLSThumbprints: jwks.tlsCertificateThumbprints,
            policy: policy,
            now: Date()
        )
    }

    @Test("the tls_client_auth request JWT is PS256 with the published kid and passes RegistrationValidator")
    func tlsClientAuth() throws {
        let (ssa, jwks, identity) = try self.context(transport: self.fixtures.pki.transport)
        let builder = try RegistrationRequestBuilder(
            softwareStatement: ssa, transportCertificate: self.fixtures.pki.transport.certificate)
        let signer = try JWSKeyConversion.signer(self.fixtures.rsaSigning.privateKey)
        let now = Date()
        let jwt = try builder.sign(with: signer, now: now, jwtID: "jti-42")
        let jws = try CompactJWS.parse(jwt)
        #expect(jws.header.algorithm == "PS256")
        #expect(jwks.keys(withID: try #require(jws.header.keyID)).first?.use == "sig")

        let claims = try jws.claims()
        let iat = Int64(now.timeIntervalSince1970.rounded(.down))
        #expect(claims["iss"] == .string(SandboxFixtures.softwareID))
        #expect(claims["aud"] == "0015800001041REAAY")
        #expect(claims["iat"] == .integer(iat) && claims["exp"] == .integer(iat + 300))
        #expect(claims["jti"] == "jti-42")
        #expect(claims["tls_client_auth_subject_dn"] == "CN=2ZVHy1MEB0Ar8ov2lgcsMM,OU=0015800001041REAAY,O=OpenBanking,C=GB")
        #expect(claims["grant_types"] == ["client_credentials", "authorization_code"])
        #expect(claims["response_types"] == ["code id_token"])
        #expect(claims["scope"] == "openid accounts payments")
        #expect(claims["application_type"] == "web")
        #expect(claims["id_token_signed_response_alg"] == "PS256" && claims["request_object_signing_alg"] == "PS256")
        #expect(claims["software_statement"] == .string(ssa))
        #expect(claims["redirect_uris"] == [.string(SandboxFixtures.redirectURI), "https://tpp.example.com/other"])
        #expect(claims["token_endpoint_auth_signing_alg"] == nil)

        let validated = try self.validate(jwt, ssa: ssa, jwks: jwks, identity: identity).get()
        #expect(validated.tokenEndpointAuthMethod == .tlsClientAuth)
        #expect(validated.scopes.sorted() == ["accounts", "openid", "payments"])
        #expect(validated.transportCertificateThumbprint == identity.thumbprintS256)
    }

    @Test("private_key_jwt with an OBWAC transport published as use tls also validates")
    func privateKeyJWTWithOBWAC() throws {
        let (ssa, jwks, identity) = try self.context(transport: self.fixtures.pki.obwacTransport)
        var builder = try RegistrationRequestBuilder(
            softwareStatement: ssa,
            transportCertificate: self.fixtures.pki.obwacTransport.certificate,
            tokenEndpointAuthMethod: .privateKeyJWT
        )
        builder.redirectURIs = [SandboxFixtures.redirectURI]
        builder.scope = "openid accounts"
        let jwt = try builder.sign(with: JWSKeyConversion.signer(self.fixtures.rsaSigning.privateKey))
        let claims = try CompactJWS.parse(jwt).claims()
        #expect(claims["token_endpoint_auth_signing_alg"] == "PS256")
        #expect(claims["tls_client_auth_subject_dn"] == nil)
        let validated = try self.validate(jwt, ssa: ssa, jwks: jwks, identity: identity).get()
        #expect(validated.tokenEndpointAuthMethod == .privateKeyJWT)
        #expect(validated.redirectURIs == [SandboxFixtures.redirectURI])
    }

    @Test("the OBWAC subject DN is rendered OpenSSL style and matches by RDN")
    func obwacSubjectDN() throws {
        let (ssa, jwks, identity) = try self.context(transport: self.fixtures.pki.obwacTransport)
        let builder = try RegistrationRequestBuilder(
            softwareStatement: ssa, transportCertificate: self.fixtures.pki.obwacTransport.certificate)
        #expect(
            builder.tlsClientAuthSubjectDN
                == "CN=0015800001041REAAY,organizationIdentifier=PSDGB-OB-Unknown0015800001041REAAY,O=MTLSGateway Sandbox TPP Ltd,C=GB"
        )
        let jwt = try builder.sign(with: JWSKeyConversion.signer(self.fixtures.rsaSigning.privateKey))
        #expect(throws: Never.self) { try self.validate(jwt, ssa: ssa, jwks: jwks, identity: identity).get() }
    }

    @Test("another TPP's transport certificate makes the same request fail validation")
    func wrongCertificate() throws {
        let (ssa, jwks, _) = try self.context(transport: self.fixtures.pki.transport)
        let pki = self.fixtures.pki
        let stranger = try CertificateIssuer.issue(
            subject: OpenBankingSubject.legacy(orgID: "0015800001041REAAY", softwareID: "SomeoneElse"),
            key: .p256, issuer: pki.issuingCA, profile: .tlsClient, notBefore: Date() - 60, notAfter: Date() + 3_600)
        let identity = try ClientIdentity(validatedChain: [stranger.certificate, pki.issuingCA.certificate])
        let builder = try RegistrationRequestBuilder(softwareStatement: ssa, transportCertificate: pki.transport.certificate)
        let jwt = try builder.sign(with: JWSKeyConversion.signer(self.fixtures.rsaSigning.privateKey))
        let result = try self.validate(jwt, ssa: ssa, jwks: jwks, identity: identity)
        #expect(throws: RegistrationError.self) { try result.get() }
    }

    @Test("client assertion: iss = sub = client id, aud = token endpoint, 5 minute lifetime")
    func clientAssertion() throws {
        let signer = try JWSKeyConversion.signer(self.fixtures.rsaSigning.privateKey)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let jws = try CompactJWS.parse(
            ClientAssertion.make(clientID: "c1", audience: "https://gw/token", signer: signer, now: now, jwtID: "j"))
        try JWSVerifier.verify(jws, with: signer.publicJWK(), allowedAlgorithms: [.ps256])
        #expect(try jws.claims() == ["iss": "c1", "sub": "c1", "aud": "https://gw/token", "iat": 1_800_000_000, "exp": 1_800_000_300, "jti": "j"])
    }

    @Test("default scope follows the roles; a non-JWS SSA is refused")
    func scopesAndBadSSA() throws {
        #expect(RegistrationRequestBuilder.defaultScope(roles: ["pisp", "CBPII"]) == "openid payments fundsconfirmations")
        #expect { try RegistrationRequestBuilder(softwareStatement: "x.y", transportCertificate: self.fixtures.pki.transport.certificate) }
            throws: { ($0 as? TPPClientError)?.code == "invalid_software_statement" }
    }

    @Test("a refused connection is one clear sentence")
    func connectionRefused() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        try await listener.close()
        let client = try self.makeClient(gateway: "https://127.0.0.1:\(port)")
        let expected = TPPClientError.connectionRefused(url: "https://127.0.0.1:\(port)/register")
        await #expect(throws: expected) { _ = try await client.register(requestJWT: "a.b.c") }
        await client.shutdown()
        #expect(
            expected.description
                == "Could not connect to https://127.0.0.1:\(port)/register: connection refused; is the gateway running (`mtls-gateway run` or `ob-sandbox up`)?"
        )
    }

    @Test("an untrusted server certificate is a TLS failure; a trusted one is reached")
    func tlsTrust() async throws {
        let fixtures = self.fixtures
        try await SandboxDirectoryServerTests.withServer(fixtures.directory, pki: fixtures.pki) { base in
            let trusting = try self.makeClient(gateway: base)
            let reached = try await trusting.send(method: .GET, url: base + "/keystore/openbanking.jwks")
            #expect(reached.status == 200 && reached.header("content-type") == "application/json")
            let notFound = try await trusting.register(requestJWT: "a.b.c")
            #expect(notFound.status == 405 || notFound.status == 404)
            await trusting.shutdown()

            let credentials = try TPPCredentials(
                transportChain: [fixtures.pki.transport.certificate],
                transportKey: fixtures.pki.transport.privateKey,
                trustRoots: [fixtures.pki.otherRoot.certificate]
            )
            let distrusting = try TPPClient(gatewayURL: base, credentials: credentials)
            await #expect { _ = try await distrusting.register(requestJWT: "a.b.c") } throws: {
                ($0 as? TPPClientError)?.code == "tls_failure"
                    && "\($0)".contains("the gateway's certificate is not trusted by --ca (CERTIFICATE_VERIFY_FAILED)")
            }
            await distrusting.shutdown()
        }
    }

    @Test("missing and mismatched files are named")
    func files() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try self.fixtures.pki.write(to: folder)
        #expect(throws: TPPClientError.missingFile(path: folder + "/nope.pem", what: "transport certificate")) {
            try TPPCredentials.load(
                transportCertificate: folder + "/nope.pem", transportKey: folder + "/tpp-transport.key",
                caFile: folder + "/root-ca.pem")
        }
        #expect(
            throws: TPPClientError.keyDoesNotMatchCertificate(
                keyPath: folder + "/server.key", certificatePath: folder + "/tpp-transport-chain.pem")
        ) {
            try TPPCredentials.load(
                transportCertificate: folder + "/tpp-transport-chain.pem", transportKey: folder + "/server.key",
                caFile: folder + "/root-ca.pem")
        }
        let loaded = try TPPCredentials.load(
            transportCertificate: folder + "/tpp-transport-bundle.pem", transportKey: folder + "/tpp-transport-bundle.pem",
            caFile: folder + "/root-ca.pem")
        #expect(loaded.transportChain.count == 2)
        #expect { try TPPCredentials.softwareStatement(folder + "/root-ca.pem") } throws: {
            ($0 as? TPPClientError)?.code == "unreadable_file"
        }
        #expect(throws: TPPClientError.invalidGatewayURL("http://localhost:8443")) {
            try TPPClient(gatewayURL: "http://localhost:8443", credentials: loaded)
        }
    }

    func makeClient(gateway: String) throws -> TPPClient {
        let pki = self.fixtures.pki
        let credentials = try TPPCredentials(
            transportChain: [pki.transport.certificate, pki.issuingCA.certificate],
            transportKey: pki.transport.privateKey,
            trustRoots: [pki.root.certificate]
        )
        return try TPPClient(gatewayURL: gateway, credentials: credentials, timeout: .seconds(10))
    }
}
