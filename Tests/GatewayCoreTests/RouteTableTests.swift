import GatewayCore
import Testing

@Suite("route table")
struct RouteTableTests {
    static let table = RouteTable(routes: [
        RouteConfiguration(name: "root", pathPrefix: "/", upstream: "a"),
        RouteConfiguration(name: "register", pathPrefix: "/register", upstream: "as"),
        RouteConfiguration(name: "register-post", pathPrefix: "/register", methods: ["POST"], upstream: "as2"),
        RouteConfiguration(name: "api-host", host: .exact("api.bank.example"), pathPrefix: "/open-banking", upstream: "rs"),
        RouteConfiguration(name: "wild", host: .wildcardSuffix(".bank.example"), pathPrefix: "/open-banking", upstream: "rs2"),
        RouteConfiguration(name: "token", pathPrefix: "/token", methods: ["POST"], upstream: "as"),
    ])

    @Test(arguments: [
        ("/register", "GET", nil, "register"),
        ("/register/abc", "DELETE", nil, "register"),
        ("/registerx", "GET", nil, "root"),
        ("/register", "POST", nil, "register"),  // ties by file order
        ("/open-banking/v3.1/aisp", "GET", "api.bank.example", "api-host"),
        ("/open-banking/v3.1/aisp", "GET", "x.bank.example", "wild"),
        ("/open-banking/v3.1/aisp", "GET", "other.example", "root"),
        ("/", "GET", nil, "root"),
    ] as [(String, String, String?, String)])
    func matches(path: String, method: String, host: String?, expected: String) {
        guard case .route(let route, _) = Self.table.match(host: host, path: path[...], method: method) else {
            Issue.record("no route for \(path)")
            return
        }
        #expect(route.name == expected)
    }

    @Test func methodNotAllowedListsTheAllowedMethods() {
        let table = RouteTable(routes: [RouteConfiguration(name: "token", pathPrefix: "/token", methods: ["POST"], upstream: "as")])
        guard case .methodNotAllowed(let allowed) = table.match(host: nil, path: "/token", method: "GET") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["POST"])
        guard case .notFound = table.match(host: nil, path: "/tokens", method: "POST") else {
            Issue.record("segment-aware: /tokens is not /token")
            return
        }
    }

    @Test func prefixMatchingIsSegmentAware() {
        #expect(RouteTable.prefixMatches("/register", path: "/register"))
        #expect(RouteTable.prefixMatches("/register", path: "/register/"))
        #expect(RouteTable.prefixMatches("/register", path: "/register/a/b"))
        #expect(!RouteTable.prefixMatches("/register", path: "/registerx"))
        #expect(!RouteTable.prefixMatches("/register", path: "/regist"))
        #expect(RouteTable.prefixMatches("/", path: "/anything"))
        #expect(RouteTable.prefixMatches("/api/", path: "/api/x"))
    }
}
