import GatewayCore
import MTLSIdentity
import NIOHTTP1
import Testing

@Suite("HeaderPolicy")
struct HeaderPolicyTests {
    static let requestID = "0123456789abcdef0123456789abcdef"
    static let identity: [(name: String, value: String)] = [
        ("Client-Cert", ":MAMBAf8=:"), ("X-Client-Cert-Verify", "SUCCESS"),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let inbound: [String]
        var peer = "203.0.113.7"
        var trusted = false
        var host: String? = "api.bank.example"
        var port: Int? = 443
        var identity: [String] = []
        let outbound: [String]
        var testDescription: String { self.label }
    }

    /// This hop's forwarding headers for an untrusted peer 203.0.113.7 on port 443.
    static let ownForwarding = [
        "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https", "X-Forwarded-Host: api.bank.example",
        "X-Forwarded-Port: 443", "Forwarded: for=203.0.113.7;proto=https;host=api.bank.example",
        "X-Real-IP: 203.0.113.7", "X-Request-Id: \(requestID)",
    ]

    static let cases: [Case] = [
        Case(
            label: "ordinary request",
            inbound: ["Host: api.bank.example", "Accept: */*", "Content-Type: application/json"],
            outbound: ["Host: api.bank.example", "Accept: */*", "Content-Type: application/json"] + ownForwarding
        ),
        Case(
            label: "hop-by-hop headers dropped (RFC 9110 §7.6.1)",
            inbound: [
                "Host: api.bank.example", "Connection: keep-alive", "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive",
                "TE: trailers", "Trailer: X-Checksum", "Upgrade: websocket", "Proxy-Authorization: Basic eDp5",
                "Proxy-Authenticate: Basic", "Accept: */*",
            ],
            outbound: ["Host: api.bank.example", "Accept: */*"] + ownForwarding
        ),
        Case(
            label: "headers named in Connection dropped, in any case, wherever they appear",
            inbound: [
                "X-Secret: 1", "Host: api.bank.example", "Connection: close, X-Secret ,x-other", "x-secret: 2",
                "X-OTHER: 3", "X-Kept: 4",
            ],
            outbound: ["Host: api.bank.example", "X-Kept: 4"] + ownForwarding
        ),
        Case(
            label: "Connection cannot remove framing or Host (smuggling)",
            inbound: [
                "Host: api.bank.example", "Connection: Content-Length, Transfer-Encoding, Host", "Content-Length: 5",
                "Transfer-Encoding: chunked",
            ],
            outbound: ["Host: api.bank.example", "Content-Length: 5", "Transfer-Encoding: chunked"] + ownForwarding
        ),
        Case(
            label: "Connection can remove forwarding headers of a trusted peer",
            inbound: ["Host: api.bank.example", "Connection: X-Forwarded-For", "X-Forwarded-For: 198.51.100.1"],
            trusted: true,
            outbound: ["Host: api.bank.example"] + ownForwarding
        ),
        Case(
            label: "spoofed identity headers removed; ours appended",
            inbound: [
                "Host: api.bank.example", "client-cert: :AAAA:", "CLIENT-CERT-CHAIN: :AAAA:", "Client_Cert: :AAAA:",
                "x-client-cert-subject-dn: CN=admin", "X_CLIENT_CERT_SUBJECT_DN: CN=admin", "X-Client-Cert-Verify: SUCCESS",
                "x-forwarded-client-cert: Hash=00", "X-SSL-Client-S-DN: CN=admin", "ssl_client_s_dn: CN=admin",
                "SSL-CLIENT-S-DN: CN=admin", "SSL_CLIENT_CERT_CHAIN_7: x", "ssl-client-cert-chain-12: x",
                "X-Forwarded-Tls-Client-Cert: AAAA", "X-ARR-ClientCert: AAAA", "x-amzn-mtls-clientcert-leaf: AAAA",
                "X-Client-Cert: AAAA", "X-Client-Verify: SUCCESS", "X-Client-DN: CN=admin", "X-SSL-Cert: AAAA",
                "Accept: */*",
            ],
            identity: ["Client-Cert: :MAMBAf8=:", "X-Client-Cert-Verify: SUCCESS"],
            outbound: ["Host: api.bank.example", "Accept: */*"] + ownForwarding
                + ["Client-Cert: :MAMBAf8=:", "X-Client-Cert-Verify: SUCCESS"]
        ),
        Case(
            label: "no identity: spoofed headers removed, only Verify NONE added",
            inbound: ["Host: api.bank.example", "X-Client-Cert-Verify: SUCCESS", "X-Client-Cert-Org-Id: victim"],
            identity: ["X-Client-Cert-Verify: NONE"],
            outbound: ["Host: api.bank.example"] + ownForwarding + ["X-Client-Cert-Verify: NONE"]
        ),
        Case(
            label: "untrusted peer: forwarding headers replaced",
            inbound: [
                "Host: api.bank.example", "X-Forwarded-For: 10.0.0.1", "x-forwarded-for: 10.0.0.2",
                "X-Forwarded-Proto: http", "X-Forwarded-Host: evil.example", "X-Forwarded-Port: 80",
                "Forwarded: for=10.0.0.1", "X-Real-IP: 10.0.0.1", "X-Request-Id: injected",
            ],
            outbound: ["Host: api.bank.example"] + ownForwarding
        ),
        Case(
            label: "trusted peer: chains extended, original values kept",
            inbound: [
                "Host: api.bank.example", "X-Forwarded-For: 198.51.100.1", "X-Forwarded-For: 10.0.0.2",
                "X-Forwarded-Proto: https", "X-Forwarded-Host: www.bank.example", "X-Forwarded-Port: 8443",
                "Forwarded: for=198.51.100.1;proto=https", "X-Real-IP: 198.51.100.1",
            ],
            trusted: true,
            outbound: [
                "Host: api.bank.example", "X-Forwarded-For: 198.51.100.1, 10.0.0.2, 203.0.113.7", "X-Forwarded-Proto: https",
                "X-Forwarded-Host: www.bank.example", "X-Forwarded-Port: 8443",
                "Forwarded: for=198.51.100.1;proto=https, for=203.0.113.7;proto=https;host=api.bank.example",
                "X-Real-IP: 198.51.100.1", "X-Request-Id: \(requestID)",
            ]
        ),
        Case(
            label: "trusted peer without inbound forwarding headers",
            inbound: ["Host: api.bank.example"],
            trusted: true,
            outbound: ["Host: api.bank.example"] + ownForwarding
        ),
        Case(
            label: "IPv6 peer, host with port, no local port",
            inbound: ["Host: api.bank.example:8443"],
            peer: "2001:db8::7",
            host: "api.bank.example:8443",
            port: nil,
            outbound: [
                "Host: api.bank.example:8443", "X-Forwarded-For: 2001:db8::7", "X-Forwarded-Proto: https",
                "X-Forwarded-Host: api.bank.example:8443",
                #"Forwarded: for="[2001:db8::7]";proto=https;host="api.bank.example:8443""#,
                "X-Real-IP: 2001:db8::7", "X-Request-Id: \(requestID)",
            ]
        ),
        Case(
            label: "no Host",
            inbound: [],
            peer: "::1",
            host: nil,
            outbound: [
                "X-Forwarded-For: ::1", "X-Forwarded-Proto: https", "X-Forwarded-Port: 443",
                #"Forwarded: for="[::1]";proto=https"#, "X-Real-IP: ::1", "X-Request-Id: \(requestID)",
            ]
        ),
    ]

    static func headers(_ lines: [String]) -> HTTPHeaders {
        HTTPHeaders(
            lines.map { line in
                let colon = line.firstIndex(of: ":")!
                return (String(line[..<colon]), String(line[line.index(colon, offsetBy: 2)...]))
            }
        )
    }

    static func lines(_ headers: HTTPHeaders) -> [String] {
        headers.map { "\($0.name): \($0.value)" }
    }

    static func context(_ testCase: Case) -> ForwardingContext {
        ForwardingContext(
            downstreamAddress: testCase.peer,
            downstreamIsTrusted: testCase.trusted,
            scheme: "https",
            requestHost: testCase.host,
            localPort: testCase.port,
            identityHeaders: Self.headers(testCase.identity).map { (name: $0.name, value: $0.value) },
            requestID: Self.requestID
        )
    }

    @Test("upstream request table", arguments: Self.cases)
    func upstream(_ testCase: Case) throws {
        var headers = Self.headers(testCase.inbound)
        try HeaderPolicy.prepareUpstreamRequest(&headers, context: Self.context(testCase))
        #expect(Self.lines(headers) == testCase.outbound)
    }

    @Test("per-connection forwarding values give the same headers as computing them", arguments: Self.cases)
    func precomputedForwarding(_ testCase: Case) throws {
        var computed = Self.headers(testCase.inbound)
        try HeaderPolicy.prepareUpstreamRequest(&computed, context: Self.context(testCase))
        var context = Self.context(testCase)
        context.localPortText = context.localPort.map { String($0) }
        context.forwardedElement = HeaderPolicy.forwardedElement(context)
        var precomputed = Self.headers(testCase.inbound)
        try HeaderPolicy.prepareUpstreamRequest(&precomputed, context: context)
        #expect(Self.lines(precomputed) == Self.lines(computed))
    }

    @Test(
        "CR, LF, NUL, other control characters and DEL in a value are rejected",
        arguments: ["a\rb", "a\nb", "a\u{0}b", "\r\n", "ok\r\nX-Injected: 1", "a\u{1}b", "a\u{1F}", "a\u{7F}b"]
    )
    func forbiddenBytes(_ value: String) {
        var headers = HTTPHeaders([("Host", "api.bank.example"), ("X-Custom", value)])
        let context = Self.context(Self.cases[0])
        #expect(throws: HeaderPolicyError.invalidHeaderValue(name: "X-Custom")) {
            try HeaderPolicy.prepareUpstreamRequest(&headers, context: context)
        }
    }

    @Test("trailers with a forbidden byte are refused; ordinary trailers pass")
    func trailers() throws {
        try HeaderPolicy.validateTrailers(HTTPHeaders([("Checksum", "abc\tdef")]))
        #expect(throws: HeaderPolicyError.invalidHeaderValue(name: "Checksum")) {
            try HeaderPolicy.validateTrailers(HTTPHeaders([("Checksum", "a\u{1}b")]))
        }
    }

    @Test("HTAB and non-ASCII bytes in a value are allowed (RFC 9110 §5.5)", arguments: ["a\tb", "caf\u{E9}"])
    func allowedBytes(_ value: String) throws {
        var headers = HTTPHeaders([("Host", "api.bank.example"), ("X-Custom", value)])
        try HeaderPolicy.prepareUpstreamRequest(&headers, context: Self.context(Self.cases[0]))
        #expect(headers.first(name: "X-Custom") == value)
    }

    @Test("every identity header name, in every case and separator form, is removed")
    func identityNameVariants() throws {
        let names = IdentityHeaderNames.emitted + IdentityHeaderNames.strippedOnly + [IdentityHeaderNames.apacheChain(0)]
        var inbound: [(String, String)] = [("Host", "api.bank.example")]
        for name in names {
            let mixed = String(name.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : Character($0.element.lowercased()) })
            let variants = [
                name, name.lowercased(), name.uppercased(), mixed,
                name.replacingOccurrences(of: "-", with: "_"), name.replacingOccurrences(of: "_", with: "-"),
                name.lowercased().replacingOccurrences(of: "-", with: "_"),
            ]
            for variant in variants {
                #expect(IdentityHeaderNames.isIdentityHeader(variant), "\(variant)")
                inbound.append((variant, "spoofed"))
            }
        }
        var headers = HTTPHeaders(inbound)
        try HeaderPolicy.prepareUpstreamRequest(&headers, context: Self.context(Self.cases[0]))
        #expect(Self.lines(headers) == ["Host: api.bank.example"] + Self.ownForwarding)
    }

    @Test(
        "identity header spellings from other stacks",
        arguments: [
            "client_cert", "CLIENT-CERT", "ssl_client_s_dn", "SSL-CLIENT-S-DN", "X_CLIENT_CERT_SUBJECT_DN",
            "x-forwarded-client-cert", "SSL_CLIENT_CERT_CHAIN_123", "X-Amzn-Mtls-Clientcert-Subject",
            "x-forwarded-tls-client-cert-infos", "cf-client-cert-der-base64", "X-Client-Cert-Present",
        ]
    )
    func identityNames(_ name: String) {
        #expect(IdentityHeaderNames.isIdentityHeader(name))
    }

    @Test(
        "ordinary headers are not identity headers",
        arguments: [
            "Host", "Accept", "Content-Type", "Content-Length", "Cookie", "Cache-Control", "Connection", "X-Forwarded-For",
            "X-Request-Id", "X-Client-Id", "Client-Id", "X-SSL", "SSL", "Sec-Fetch-Mode", "x", "", "X-Client-Cer",
            "Client-Cer", "X-Clientcertificate",
        ]
    )
    func ordinaryNames(_ name: String) {
        #expect(!IdentityHeaderNames.isIdentityHeader(name))
    }

    @Test("downstream response: hop-by-hop and Connection-named removed, request id set")
    func downstream() throws {
        var headers = Self.headers([
            "Content-Type: application/json", "Connection: close, X-Internal", "Keep-Alive: timeout=5",
            "X-Internal: secret", "Transfer-Encoding: chunked", "Upgrade: h2c", "X-Request-Id: upstream-id",
            "Content-Length: 10", "Cache-Control: no-store",
        ])
        try HeaderPolicy.prepareDownstreamResponse(&headers, requestID: Self.requestID)
        #expect(
            Self.lines(headers) == [
                "Content-Type: application/json", "Transfer-Encoding: chunked", "Content-Length: 10",
                "Cache-Control: no-store", "X-Request-Id: \(Self.requestID)",
            ]
        )
    }

    @Test(
        "downstream response: a forbidden byte in a name or value is refused (RFC 9110 §5.5)",
        arguments: [
            ("X-A", "a\r\nSet-Cookie: s=1"), ("X-A", "a\u{0}b"), ("X-A", "a\u{7F}"), ("X-A", "a\nb"),
            ("X-\rA", "v"),
        ]
    )
    func downstreamForbidden(name: String, value: String) {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), (name, value)])
        #expect(throws: HeaderPolicyError.invalidHeaderValue(name: name)) {
            try HeaderPolicy.prepareDownstreamResponse(&headers, requestID: Self.requestID)
        }
    }

    @Test("downstream response: HTAB and obs-text are allowed in values")
    func downstreamAllowed() throws {
        var headers = HTTPHeaders([("X-A", "a\tb"), ("X-B", "caf\u{E9}")])
        try HeaderPolicy.prepareDownstreamResponse(&headers, requestID: Self.requestID)
        #expect(headers["X-A"] == ["a\tb"] && headers["X-B"] == ["caf\u{E9}"])
    }

    @Test("identity headers from the builder round-trip through the policy")
    func builderThroughPolicy() throws {
        let chains = try IdentityHeaderTestPKI.chains.get()
        let builder = IdentityHeaderBuilder(profiles: [.rfc9440], dnFormat: .openssl)
        var context = Self.context(Self.cases[0])
        context.identityHeaders = builder.headers(for: chains.legacy)
        var headers = HTTPHeaders([("Host", "api.bank.example"), ("Client-Cert", ":AAAA:")])
        try HeaderPolicy.prepareUpstreamRequest(&headers, context: context)
        let clientCert = headers["Client-Cert"]
        #expect(clientCert.count == 1)
        #expect(try RFC9440.decodeCertificate(clientCert[0]) == chains.legacyDER[0])
        #expect(try RFC9440.decodeCertificateChain(headers["Client-Cert-Chain"][0]) == [chains.legacyDER[1]])
    }
}

@Suite("RequestID")
struct RequestIDTests {
    @Test("generated ids: 32 lower-case hex, distinct, well formed")
    func generate() {
        let ids = (0..<100).map { _ in RequestID.generate() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.utf8.count == 32)
            #expect(id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
            #expect(RequestID.isWellFormed(id))
        }
    }

    @Test("well-formed inbound ids")
    func wellFormed() {
        #expect(RequestID.isWellFormed("a"))
        #expect(RequestID.isWellFormed("Req-1.2_3:4"))
        #expect(RequestID.isWellFormed(String(repeating: "a", count: 128)))
        #expect(!RequestID.isWellFormed(""))
        #expect(!RequestID.isWellFormed(String(repeating: "a", count: 129)))
        for bad in ["a b", "a\r\nb", "a\"b", "é", "a/b", "a,b", "a;b"] {
            #expect(!RequestID.isWellFormed(bad), "\(bad)")
        }
    }
}
