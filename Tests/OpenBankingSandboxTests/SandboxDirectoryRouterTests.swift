import Foundation
import NIOHTTP1
import OpenBankingSandbox
import RegistrationCore
import Testing

@Suite("Sandbox directory routes, without sockets")
struct SandboxDirectoryRouterTests {
    let fixtures: SandboxFixtures
    let router = SandboxDirectoryRouter(jwksBaseURL: "https://localhost:9999")

    init() throws {
        self.fixtures = try SandboxFixtures.shared()
    }

    func respond(_ method: HTTPMethod, _ uri: String, _ body: String = "") -> SandboxDirectoryRouter.Response {
        self.router.respond(method: method, uri: uri, body: Array(body.utf8), directory: self.fixtures.directory)
    }

    @Test("GET paths: directory JWKS, software JWKS, revoked (empty), health, 404s")
    func getPaths() throws {
        let directory = self.respond(.GET, "/keystore/openbanking.jwks?x=1")
        #expect(directory.status == .ok && directory.contentType == "application/json")
        #expect(directory.body == (try self.fixtures.directory.directoryJWKS().serializedBytes()))
        let software = self.respond(.GET, "/0015800001041REAAY/2ZVHy1MEB0Ar8ov2lgcsMM.jwks")
        #expect(software.status == .ok)
        #expect(try JSONWebKeySet(parsing: software.body).keys.count == 4)
        let revoked = self.respond(.GET, "/0015800001041REAAY/revoked/2ZVHy1MEB0Ar8ov2lgcsMM.jwks")
        #expect(revoked.status == .ok && String(decoding: revoked.body, as: UTF8.self) == #"{"keys":[]}"#)
        #expect(self.respond(.GET, "/healthz").status == .ok)
        #expect(self.respond(.HEAD, "/healthz").status == .ok)
        for path in ["/0015800001041REAAY/unknown.jwks", "/0015800001041REAAY/..%2F.jwks", "/", "/a/b/c/d.jwks", "/x.jwks"] {
            let response = self.respond(.GET, path)
            #expect(response.status == .notFound, "\(path)")
            #expect(String(decoding: response.body, as: UTF8.self).contains(#""error":"not_found""#))
        }
    }

    @Test("wrong methods get 405 with Allow")
    func methods() {
        let post = self.respond(.POST, "/keystore/openbanking.jwks")
        #expect(post.status == .methodNotAllowed && post.allow == "GET, HEAD")
        let get = self.respond(.GET, "/ssa")
        #expect(get.status == .methodNotAllowed && get.allow == "POST")
    }

    @Test("POST /ssa issues a verifiable SSA pointing at this server")
    func issue() throws {
        let body = #"{"org_id":"0015800001041REAAY","software_id":"Soft9","redirect_uris":["https://a.example/cb"],"software_roles":["CBPII"],"org_name":"Acme"}"#
        let response = self.respond(.POST, "/ssa", body)
        #expect(response.status == .created && response.contentType == "application/jwt")
        let jws = try CompactJWS.parse(String(decoding: response.body, as: UTF8.self))
        try JWSVerifier.verify(
            jws, in: JSONWebKeySet(parsing: self.fixtures.directory.directoryJWKS().serializedBytes()), allowedAlgorithms: [.ps256])
        let statement = try SoftwareStatement(jws: jws)
        #expect(statement.softwareJWKSEndpoint == "https://localhost:9999/0015800001041REAAY/Soft9.jwks")
        #expect(statement.organisationName == "Acme")
        #expect(statement.softwareRoles == ["CBPII"])
    }

    @Test("POST /ssa refuses bad bodies with 400 JSON", arguments: [
        "not json", "[]", #"{"org_id":"o"}"#, #"{"org_id":"o","software_id":"s","redirect_uris":"x","software_roles":["AISP"]}"#,
        #"{"org_id":"o","software_id":"s","redirect_uris":["https://a.example/cb"],"software_roles":["AISP"],"typo":1}"#,
        #"{"org_id":"o","software_id":"s/..","redirect_uris":["https://a.example/cb"],"software_roles":["AISP"]}"#,
    ])
    func badBodies(_ body: String) throws {
        let response = self.respond(.POST, "/ssa", body)
        #expect(response.status == .badRequest)
        let object = try #require(try JSONValue.parse(response.body).objectValue)
        #expect(object["error"] == "invalid_request")
        #expect(object["error_description"]?.stringValue?.isEmpty == false)
    }
}
