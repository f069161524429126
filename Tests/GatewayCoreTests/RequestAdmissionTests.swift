import GatewayCore
import NIOHTTP1
import Testing

@Suite("request admission")
struct RequestAdmissionTests {
    static let routes = RouteTable(routes: [
        RouteConfiguration(name: "discovery", pathPrefix: "/.well-known", upstream: "as", clientCertificate: .optional),
        RouteConfiguration(name: "register", pathPrefix: "/register", upstream: "as", clientCertificate: .required, maxBodySize: 1024, rewritePrefix: "/as/clients.oauth2"),
        RouteConfiguration(name: "token", pathPrefix: "/token", methods: ["POST"], upstream: "as"),
    ])

    static func decide(
        _ uri: String,
        method: HTTPMethod = .GET,
        headers: [(String, String)] = [("Host", "localhost:8443")],
        version: HTTPVersion = .http1_1,
        sni: String? = "localhost",
        identity: Bool = true,
        maxHeaderSize: Int = 32 * 1024
    ) -> RequestAdmission.Decision {
        let head = HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(headers))
        return RequestAdmission.decide(
            head: head,
            connection: .init(sni: sni, hasIdentity: identity),
            routes: Self.routes,
            maxHeaderSize: maxHeaderSize,
            requiresCertificate: { $0.clientCertificate == .required }
        )
    }

    static func rejection(_ decision: RequestAdmission.Decision) -> ProxyErrorKind? {
        if case .reject(let kind, _) = decision { return kind }
        return nil
    }

    @Test(arguments: [
        ("/register/../admin", ProxyErrorKind.invalidPath),
        ("/register/%2e%2E/admin", .invalidPath),
        ("/register/./x", .invalidPath),
        ("/register\\..\\x", .invalidPath),
        ("http://evil/register", .invalidPath),
        ("*", .invalidPath),
        // A combining mark after "/" makes "/\u{301}" one Character: the check works on bytes,
        // as the upstream splits segments, so ".." is still found.
        ("/register/../\u{301}admin", .invalidPath),
        ("/register/..", .invalidPath),
        ("/register/%2e", .invalidPath),
        ("/register/a\u{0}b", .invalidPath),
        ("/nothing", .routeNotFound),
    ])
    func refusesPaths(uri: String, kind: ProxyErrorKind) {
        #expect(Self.rejection(Self.decide(uri)) == kind)
    }

    @Test func sniHostMismatchIs421() {
        let decision = Self.decide("/register", headers: [("Host", "other.example")])
        #expect(Self.rejection(decision) == .misdirectedRequest)
        #expect(Self.rejection(Self.decide("/register", headers: [("Host", "LOCALHOST")])) == nil)
        #expect(Self.rejection(Self.decide("/register", headers: [("Host", "other.example")], sni: nil)) == nil)
    }

    @Test func hostIsRequiredOnceForHTTP11() {
        #expect(Self.rejection(Self.decide("/register", headers: [])) == .missingHost)
        #expect(Self.rejection(Self.decide("/register", headers: [("Host", "localhost"), ("Host", "localhost")])) == .missingHost)
        #expect(Self.rejection(Self.decide("/register", headers: [], version: .http1_0)) == nil)
    }

    @Test func certificateRequiredRoute() {
        #expect(Self.rejection(Self.decide("/register", identity: false)) == .clientCertificateRequired)
        #expect(Self.rejection(Self.decide("/.well-known/openid-configuration", identity: false)) == nil)
    }

    @Test func declaredBodyOverLimitIs413() {
        let decision = Self.decide("/register", method: .POST, headers: [("Host", "localhost"), ("Content-Length", "1025")])
        #expect(Self.rejection(decision) == .bodyTooLarge)
    }

    @Test func oversizedHeadIs431() {
        let big = String(repeating: "a", count: 2000)
        #expect(Self.rejection(Self.decide("/register", headers: [("Host", "localhost"), ("X-Big", big)], maxHeaderSize: 1024)) == .headersTooLarge)
    }

    @Test func unknownExpectationIs417() {
        #expect(Self.rejection(Self.decide("/register", headers: [("Host", "localhost"), ("Expect", "magic")])) == .unsupportedExpectation)
    }

    @Test func methodNotAllowedCarriesAllow() {
        guard case .reject(let kind, let allow) = Self.decide("/token") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(kind == .methodNotAllowed)
        #expect(allow == ["POST"])
    }

    @Test(arguments: [
        ("/register", "/as/clients.oauth2"),
        ("/register/abc?x=1", "/as/clients.oauth2/abc?x=1"),
        ("/register?x=1", "/as/clients.oauth2?x=1"),
    ])
    func rewritesPrefix(uri: String, expected: String) {
        guard case .forward(_, let path, _) = Self.decide(uri) else {
            Issue.record("expected forward")
            return
        }
        #expect(path == expected)
    }

    @Test("the rewrite cuts the prefix by bytes, as it was matched: a combining mark after it cannot move the cut")
    func rewriteCutsByBytes() {
        let route = RouteConfiguration(name: "all", pathPrefix: "/", upstream: "as", rewritePrefix: "/r")
        // Counting Characters, "/\u{301}" is one: the cut would drop the mark and send "/r/../x".
        #expect(RequestAdmission.rewrite("/\u{301}../x", route: route) == "/r/\u{301}../x")
        #expect(RequestAdmission.rewrite("/a/b", route: route) == "/r/a/b")
    }

    @Test func everyErrorKindHasAStatusOfItsSource() {
        for kind in ProxyErrorKind.allCases {
            switch kind.source {
            case .downstream: #expect((400..<500).contains(kind.status), "\(kind)")
            case .upstream: #expect([502, 503, 504].contains(kind.status), "\(kind)")
            case .internal: #expect(kind.status == 500)
            }
            #expect(kind.jsonBody(requestID: "abc") == "{\"error\":\"\(kind.rawValue)\",\"request_id\":\"abc\"}")
        }
    }
}
