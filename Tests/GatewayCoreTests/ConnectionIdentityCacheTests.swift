import GatewayCore
import MTLSIdentity
import Testing
import X509

@Suite("Connection identity cache")
struct ConnectionIdentityCacheTests {
    let builder = IdentityHeaderBuilder(profiles: [.rfc9440, .derived], dnFormat: .openssl)

    func chains() throws -> (legacy: [Certificate], short: [Certificate]) {
        let der = try IdentityHeaderTestPKI.chains.get().legacyDER
        let legacy = try der.map { try Certificate(derEncoded: $0) }
        return (legacy, [legacy[0], legacy[2]])
    }

    @Test("the same validated chain shares one identity; its fields are the ClientIdentity's")
    func sharedPerChain() throws {
        let (legacy, _) = try self.chains()
        let cache = ConnectionIdentityCache(builder: self.builder)
        var built = 0
        let make: ([Certificate]) throws -> ClientIdentity = { built += 1; return try ClientIdentity(validatedChain: $0) }
        let first = try cache.identity(for: legacy, makeIdentity: make)
        let second = try cache.identity(for: legacy, makeIdentity: make)
        #expect(first === second)
        #expect(built == 1)
        let expected = try ClientIdentity(validatedChain: legacy)
        #expect(first.subjectDN == expected.subjectDN(.openssl))
        #expect(first.issuerDN == expected.issuerDN(.openssl))
        #expect(first.serialNumberHex == expected.serialNumberHex)
        #expect(first.thumbprintS256 == expected.thumbprintS256)
        #expect(first.orgID == expected.orgID)
        #expect(first.softwareID == expected.softwareID)
        #expect(IdentityHeaderTestPKI.render(first.headers) == IdentityHeaderTestPKI.render(self.builder.headers(for: expected)))
    }

    @Test("another path for the same leaf is another entry (Client-Cert-Chain differs)")
    func keyedByWholeChain() throws {
        let (legacy, short) = try self.chains()
        let cache = ConnectionIdentityCache(builder: self.builder)
        let full = try cache.identity(for: legacy) { try ClientIdentity(validatedChain: $0) }
        let other = try cache.identity(for: short) { try ClientIdentity(validatedChain: $0) }
        #expect(full !== other)
        #expect(IdentityHeaderTestPKI.render(full.headers) != IdentityHeaderTestPKI.render(other.headers))
        #expect(cache.count == 2)
    }

    @Test("bounded: the oldest chain is dropped when full; capacity 0 caches nothing")
    func bounded() throws {
        let (legacy, short) = try self.chains()
        let one = ConnectionIdentityCache(builder: self.builder, capacity: 1)
        let first = try one.identity(for: legacy) { try ClientIdentity(validatedChain: $0) }
        _ = try one.identity(for: short) { try ClientIdentity(validatedChain: $0) }
        #expect(one.count == 1)
        #expect(try one.identity(for: legacy) { try ClientIdentity(validatedChain: $0) } !== first)
        let none = ConnectionIdentityCache(builder: self.builder, capacity: 0)
        _ = try none.identity(for: legacy) { try ClientIdentity(validatedChain: $0) }
        #expect(none.count == 0)
    }

    @Test("a chain that cannot be turned into an identity throws and is not cached")
    func failureNotCached() throws {
        let (legacy, _) = try self.chains()
        let cache = ConnectionIdentityCache(builder: self.builder)
        #expect(throws: ClientIdentityError.emptyChain) {
            try cache.identity(for: legacy) { _ in throw ClientIdentityError.emptyChain }
        }
        #expect(cache.count == 0)
    }
}
