import GatewayCore
import Testing

@Suite("Configuration value parsers")
struct ConfigurationValueParserTests {
    @Test(
        "durations",
        arguments: [
            ("250ms", Duration.milliseconds(250)),
            ("2s", .seconds(2)),
            ("5m", .seconds(300)),
            ("1h", .seconds(3_600)),
            ("1.5s", .milliseconds(1_500)),
            ("0.25ms", .microseconds(250)),
            ("1h30m", .seconds(5_400)),
            ("1m0.5s", .milliseconds(60_500)),
            ("0s", .zero),
        ]
    )
    func validDurations(text: String, expected: Duration) {
        #expect(DurationParser.parse(text) == expected)
    }

    @Test(
        "invalid durations",
        arguments: ["", "10", "s", "-1s", "1.s", ".5s", "1 s", "1S", "10 seconds", "1d", "1s ", "9999999999999h"]
    )
    func invalidDurations(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }

    @Test(
        "sizes",
        arguments: [
            ("512B", 512), ("32KiB", 32_768), ("10MiB", 10_485_760), ("1GiB", 1_073_741_824),
            ("1KB", 1_000), ("2MB", 2_000_000), ("1GB", 1_000_000_000), ("0B", 0),
        ]
    )
    func validSizes(text: String, expected: Int) {
        #expect(ByteSizeParser.parse(text) == expected)
    }

    @Test("invalid sizes", arguments: ["", "512", "KiB", "1kib", "1.5MiB", "-1B", "1 KiB", "1Kb", "99999999999999999GiB"])
    func invalidSizes(text: String) {
        #expect(ByteSizeParser.parse(text) == nil)
    }

    @Test(
        "CIDR parsing and canonical form",
        arguments: [
            ("10.0.0.0/8", "10.0.0.0/8"),
            ("192.168.1.7", "192.168.1.7/32"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("2001:DB8::/32", "2001:db8::/32"),
            ("::1", "::1/128"),
            ("::/0", "::/0"),
            ("fe80:0:0:0:0:0:0:0/10", "fe80::/10"),
            ("::ffff:10.0.0.0/104", "10.0.0.0/8"),
            ("2001:db8:0:1::/64", "2001:db8:0:1::/64"),
        ]
    )
    func cidrParsing(text: String, canonical: String) throws {
        #expect(try CIDR(parsing: text).description == canonical)
    }

    @Test(
        "invalid CIDRs",
        arguments: [
            "10.0.0.1/8", "10.0.0.0/33", "10.0.0/8", "010.0.0.0/8", "10.0.0.0/", "10.0.0.0/x", "::1/129",
            "2001:db8::1/32", "1:2:3:4:5:6:7:8:9/128", "1::2::3/128", "localhost/8", "",
        ]
    )
    func invalidCIDRs(text: String) {
        #expect(throws: ConfigurationValueError.self) { try CIDR(parsing: text) }
    }

    @Test("host bits set suggests the network")
    func hostBitsSuggestion() {
        #expect(throws: ConfigurationValueError("\"10.0.0.1/8\" has host bits set; did you mean \"10.0.0.0/8\"?")) {
            try CIDR(parsing: "10.0.0.1/8")
        }
    }

    @Test(
        "CIDR membership",
        arguments: [
            ("10.0.0.0/8", "10.255.1.2", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("10.0.0.0/8", "::ffff:10.1.2.3", true),
            ("10.0.0.0/8", "[::ffff:10.1.2.3]", true),
            ("10.0.0.0/8", "::ffff:11.1.2.3", false),
            ("10.0.0.0/8", "2001:db8::1", false),
            ("10.0.0.0/8", "not an address", false),
            ("192.168.1.0/25", "192.168.1.127", true),
            ("192.168.1.0/25", "192.168.1.128", false),
            ("0.0.0.0/0", "203.0.113.9", true),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("2001:db8::/32", "10.0.0.1", false),
            ("fe80::/10", "fe80::1%eth0", true),
            ("::1", "::1", true),
            ("::ffff:10.0.0.0/104", "10.9.9.9", true),
        ]
    )
    func cidrMembership(range: String, address: String, expected: Bool) throws {
        #expect(try CIDR(parsing: range).contains(ipAddress: address) == expected)
    }

    @Test(
        "socket addresses",
        arguments: [
            ("127.0.0.1:8443", "127.0.0.1", 8443),
            ("0.0.0.0:0", "0.0.0.0", 0),
            ("*:8443", "0.0.0.0", 8443),
            ("[::]:8443", "::", 8443),
            ("[::1]:9901", "::1", 9901),
            ("[2001:DB8::1]:443", "2001:db8::1", 443),
            ("LocalHost:65535", "localhost", 65535),
            ("gateway-1.internal:80", "gateway-1.internal", 80),
        ]
    )
    func socketAddresses(text: String, host: String, port: Int) throws {
        let address = try SocketAddressSpec(parsing: text)
        #expect(address == SocketAddressSpec(host: host, port: port))
    }

    @Test("socket address description brackets IPv6")
    func socketAddressDescription() {
        #expect(SocketAddressSpec(host: "::1", port: 8443).description == "[::1]:8443")
        #expect(SocketAddressSpec(host: "localhost", port: 0).description == "localhost:0")
    }

    @Test(
        "invalid socket addresses",
        arguments: [
            ("localhost", "missing port; expected \"host:port\""),
            ("localhost:", "missing port"),
            (":8443", "missing host"),
            ("::1:8443", "IPv6 addresses must be written in brackets, e.g. \"[::1]:8443\""),
            ("[::1]", "missing port; expected \"[address]:port\""),
            ("[::1:8443", "missing \"]\" after the IPv6 address"),
            ("[example.com]:80", "\"[example.com]\" is not an IPv6 address"),
            ("127.0.0.1:65536", "port \"65536\" is not a number in 0...65535"),
            ("127.0.0.1:-1", "port \"-1\" is not a number in 0...65535"),
            ("bad_host:80", "\"bad_host\" is not a valid host name or IP address"),
            ("1.2.3:80", "\"1.2.3\" is not a valid host name or IP address"),
        ]
    )
    func invalidSocketAddresses(text: String, message: String) {
        #expect(throws: ConfigurationValueError(message)) { try SocketAddressSpec(parsing: text) }
    }

    @Test(
        "host patterns",
        arguments: [
            ("api.bank.example", HostPattern.exact("api.bank.example")),
            ("API.Bank.Example.", .exact("api.bank.example")),
            ("*.bank.example", .wildcardSuffix(".bank.example")),
            ("10.0.0.1", .exact("10.0.0.1")),
            ("[::1]", .exact("[::1]")),
        ]
    )
    func hostPatterns(text: String, expected: HostPattern) throws {
        #expect(try HostPattern(parsing: text) == expected)
    }

    @Test("invalid host patterns", arguments: ["api.bank.example:443", "*", "*bank.example", "a.*.example", "", "bad host", "*.", "[::1]:443"])
    func invalidHostPatterns(text: String) {
        #expect(throws: ConfigurationValueError.self) { try HostPattern(parsing: text) }
    }

    @Test(
        "host pattern matching",
        arguments: [
            ("api.bank.example", "api.bank.example", true),
            ("api.bank.example", "API.BANK.EXAMPLE", true),
            ("api.bank.example", "api.bank.example.", true),
            ("api.bank.example", "x.api.bank.example", false),
            ("*.bank.example", "api.bank.example", true),
            ("*.bank.example", "a.b.bank.example", true),
            ("*.bank.example", "bank.example", false),
            ("*.bank.example", "evilbank.example", false),
            ("*.bank.example", ".bank.example", false),
        ]
    )
    func hostPatternMatching(pattern: String, host: String, expected: Bool) throws {
        let parsed = try HostPattern(parsing: pattern)
        #expect(parsed.matches(host) == expected)
        #expect(parsed.description == pattern)
    }

    @Test(
        "upstream servers",
        arguments: [
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
            ("http://as.internal", "http://as.internal:80"),
            ("https://as.internal", "https://as.internal:443"),
            ("HTTPS://AS.Internal:8443/", "https://as.internal:8443"),
            ("http://[::1]:9000", "http://[::1]:9000"),
            ("https://[2001:db8::1]", "https://[2001:db8::1]:443"),
        ]
    )
    func upstreamServers(text: String, canonical: String) throws {
        #expect(try UpstreamServer(parsing: text).description == canonical)
    }

    @Test(
        "invalid upstream servers",
        arguments: [
            ("ftp://x", "\"ftp://x\" must start with \"http://\" or \"https://\""),
            ("127.0.0.1:9000", "\"127.0.0.1:9000\" must start with \"http://\" or \"https://\""),
            ("http://x/api", "\"http://x/api\" must not have a path, query or fragment"),
            ("http://x?a=1", "\"http://x?a=1\" must not have a path, query or fragment"),
            ("http://user:pw@x", "\"http://user:pw@x\" must not contain user information"),
            ("http://x:0", "port 0 is not a valid upstream port"),
            ("http://x:70000", "port \"70000\" is not a number in 0...65535"),
            ("http://", "missing host"),
            ("http://::1", "IPv6 addresses must be written in brackets, e.g. \"[::1]:8443\""),
        ]
    )
    func invalidUpstreamServers(text: String, message: String) {
        #expect(throws: ConfigurationValueError(message)) { try UpstreamServer(parsing: text) }
    }
}
