import GatewayCore
import Testing

@Suite("RequestIDGenerator")
struct RequestIDGeneratorTests {
    @Test("32 lower-case hex characters, well formed, unique across several buffer refills")
    func ids() {
        let generator = RequestIDGenerator()
        var seen = Set<String>()
        for _ in 0..<1000 {  // 256 ids per 4 KiB buffer: crosses three refills
            let id = generator.next()
            #expect(id.utf8.count == 32)
            #expect(id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            #expect(RequestID.isWellFormed(id))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
        // Two generators never replay each other's bytes.
        #expect(RequestIDGenerator().next() != RequestIDGenerator().next())
    }

    @Test("every hex digit position varies (the bytes are random, not a counter)")
    func positionsVary() {
        let generator = RequestIDGenerator()
        let ids = (0..<300).map { _ in Array(generator.next().utf8) }
        for position in 0..<32 {
            #expect(Set(ids.map { $0[position] }).count > 4)
        }
    }
}
