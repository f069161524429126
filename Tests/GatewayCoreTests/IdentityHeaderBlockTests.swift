import GatewayCore
import MTLSIdentity
import Testing

@Suite("IdentityHeaderBlock")
struct IdentityHeaderBlockTests {
    let chains: IdentityHeaderTestPKI.Chains

    init() throws {
        self.chains = try IdentityHeaderTestPKI.chains.get()
    }

    /// The block is appended to upstream heads without any further check, so it must be exactly
    /// `name: value` CRLF lines with no CR, LF, NUL or other control byte inside a line — also for
    /// a certificate whose SAN carries CR LF (the OBWAC fixture's `bad\r\nname.example.com`).
    @Test("wire bytes: name: value CRLF per header, no control byte inside a line, every profile and DN format")
    func wireBytes() {
        for identity in [self.chains.legacy, self.chains.obwac, nil] {
            for format in DNFormat.allCases {
                let builder = IdentityHeaderBuilder(profiles: IdentityHeaderProfile.allCases, dnFormat: format)
                let headers = builder.headers(for: identity)
                let block = IdentityHeaderBlock.serialize(headers)
                let expected = headers.map { "\($0.name): \($0.value)\r\n" }.joined()
                #expect(block == Array(expected.utf8))
                #expect(IdentityHeaderTestPKI.render(IdentityHeaderBlock.parse(block)) == IdentityHeaderTestPKI.render(headers))
                #expect(Self.lines(block).count == headers.count)
                for line in Self.lines(block) {
                    #expect(!line.contains { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F })
                }
            }
        }
    }

    @Test("a connection identity carries the block of its headers")
    func connectionIdentity() {
        let builder = IdentityHeaderBuilder(profiles: IdentityHeaderProfile.allCases, dnFormat: .openssl)
        let identity = ConnectionIdentity(self.chains.obwac, builder: builder)
        #expect(identity.headerBlock == IdentityHeaderBlock.serialize(identity.headers))
        #expect(!identity.headerBlock.isEmpty)
        #expect(IdentityHeaderBlock.serialize([]).isEmpty)
    }

    /// The block split at CRLF, every line required to end with CRLF (a lone CR or LF fails).
    static func lines(_ block: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < block.count {
            if block[index] == 0x0D, index + 1 < block.count, block[index + 1] == 0x0A {
                lines.append(current)
                current = []
                index += 2
            } else {
                current.append(block[index])
                index += 1
            }
        }
        #expect(current.isEmpty, "the block ends with CRLF")
        return lines
    }
}
