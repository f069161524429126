import Testing

@testable import MTLSIdentity

@Suite("RFC 9440 codec")
struct RFC9440Tests {
    @Test("round trip of real certificates")
    func roundTrip() throws {
        let chain = try TestCertificates.chain(leafSubject: ClientIdentityTests.legacySubject())
        let ders = chain.map(\.der)
        let leaf = RFC9440.encodeCertificate(ders[0])
        #expect(try RFC9440.decodeCertificate(leaf) == ders[0])
        let encodedChain = RFC9440.encodeCertificateChain(Array(ders[1...]))
        #expect(try RFC9440.decodeCertificateChain(encodedChain) == Array(ders[1...]))
        for value in [leaf, encodedChain] {
            #expect(!value.utf8.contains(0x0D) && !value.utf8.contains(0x0A))
        }
    }

    @Test("round trip of every length mod 3", arguments: 1...7)
    func lengths(_ length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
        #expect(try RFC9440.decodeCertificate(RFC9440.encodeCertificate(bytes)) == bytes)
        #expect(try RFC9440.decodeCertificateChain(RFC9440.encodeCertificateChain([bytes, bytes])) == [bytes, bytes])
    }

    @Test("wire format")
    func wireFormat() throws {
        #expect(RFC9440.encodeCertificate([0x30, 0x03, 0x01, 0x01, 0xFF]) == ":MAMBAf8=:")
        #expect(RFC9440.encodeCertificateChain([[0x30], [0x31, 0x00]]) == ":MA==:, :MQA=:")
        #expect(RFC9440.encodeCertificateChain([]) == "")
        #expect(try RFC9440.decodeCertificateChain("") == [])
        // Unpadded base64 and parameters are tolerated (RFC 8941 §4.2.7).
        #expect(try RFC9440.decodeCertificate(" :MAMBAf8:;x=1 ") == [0x30, 0x03, 0x01, 0x01, 0xFF])
        #expect(try RFC9440.decodeCertificateChain(":MA==:,:MQA=:") == [[0x30], [0x31, 0x00]])
    }

    @Test(
        "malformed values are rejected",
        arguments: [
            ("MAMBAf8=", RFC9440Error.malformedFieldValue),
            (":MAMBAf8=", .malformedFieldValue),
            (":MA==:, :MA==:", .malformedFieldValue),  // a list is not an item
            ("\"MA==\"", .notAByteSequence),
            (":M===:", .invalidBase64),
            (":MA=A:", .invalidBase64),
            ("::", .emptyCertificate),
        ]
    )
    func malformedItem(_ input: (String, RFC9440Error)) {
        #expect(throws: input.1) { try RFC9440.decodeCertificate(input.0) }
    }

    @Test("malformed chains are rejected")
    func malformedChain() {
        #expect(throws: RFC9440Error.notAByteSequence) { try RFC9440.decodeCertificateChain(":MA==:, (:MA==:)") }
        #expect(throws: RFC9440Error.notAByteSequence) { try RFC9440.decodeCertificateChain(":MA==:, abc") }
        #expect(throws: RFC9440Error.malformedFieldValue) { try RFC9440.decodeCertificateChain(":MA==: :MA==:") }
    }
}
