import Testing

@testable import AuthorizationServer

@Suite("RandomToken")
struct RandomTokenTests {
    @Test("identifiers and secrets are base64url, unique, and never start with '-' (a CLI would read an option)")
    func shapes() {
        var seen: Set<String> = []
        // 4,000 draws: without the rule about 62 of them would start with '-'.
        for _ in 0..<1_000 {
            for token in [RandomToken.clientID(), RandomToken.jwtID(), RandomToken.secret(), RandomToken.make(byteCount: 3)] {
                #expect(token.utf8.first != UInt8(ascii: "-"))
                #expect(token.utf8.allSatisfy { byte in
                    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                })
                seen.insert(token)
            }
        }
        #expect(RandomToken.clientID().utf8.count == 22 && RandomToken.secret().utf8.count == 43)
        #expect(seen.count >= 3_000)  // 3-byte tokens may repeat; the others never do
    }
}
