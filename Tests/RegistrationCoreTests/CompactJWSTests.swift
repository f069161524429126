import Foundation
import RegistrationCore
import Testing

@Suite("CompactJWS parsing")
struct CompactJWSTests {
    /// Unpadded base64url of a UTF-8 string.
    static func b64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static let header = Self.b64(#"{"alg":"PS256","kid":"k1"}"#)
    static let payload = Self.b64(#"{"iss":"x"}"#)

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let error: JOSEError
        var testDescription: String { self.name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "two segments", input: "\(Self.header).\(Self.payload)", error: .wrongSegmentCount(2)),
        Malformed(name: "four segments", input: "\(Self.header).\(Self.payload).AA.AA", error: .wrongSegmentCount(4)),
        Malformed(name: "one segment", input: "notajws", error: .wrongSegmentCount(1)),
        Malformed(name: "empty string", input: "", error: .wrongSegmentCount(1)),
        Malformed(name: "empty header", input: ".\(Self.payload).", error: .invalidBase64URL(.header)),
        Malformed(
            name: "padding in header",
            input: "\(Self.header)==.\(Self.payload).",
            error: .invalidBase64URL(.header)
        ),
        Malformed(
            name: "padding in signature",
            input: "\(Self.header).\(Self.payload).AAA=",
            error: .invalidBase64URL(.signature)
        ),
        Malformed(
            name: "standard alphabet + in payload",
            input: "\(Self.header).ab+c.",
            error: .invalidBase64URL(.payload)
        ),
        Malformed(
            name: "standard alphabet / in signature",
            input: "\(Self.header).\(Self.payload).ab/c",
            error: .invalidBase64URL(.signature)
        ),
        Malformed(
            name: "whitespace inside a segment",
            input: "\(Self.header).ey J9.",
            error: .invalidBase64URL(.payload)
        ),
        Malformed(
            name: "length 1 mod 4",
            input: "\(Self.header).\(Self.payload).A",
            error: .invalidBase64URL(.signature)
        ),
        Malformed(
            name: "non-canonical trailing bits",
            input: "\(Self.header).\(Self.payload).AB",
            error: .invalidBase64URL(.signature)
        ),
        Malformed(
            name: "header is an array",
            input: "\(Self.b64(#"["PS256"]"#)).\(Self.payload).",
            error: .headerNotJSONObject
        ),
        Malformed(
            name: "header is a string",
            input: "\(Self.b64(#""PS256""#)).\(Self.payload).",
            error: .headerNotJSONObject
        ),
        Malformed(
            name: "header is not JSON",
            input: "\(Self.b64("alg=PS256")).\(Self.payload).",
            error: .headerNotJSONObject
        ),
        Malformed(
            name: "alg missing",
            input: "\(Self.b64(#"{"kid":"k1"}"#)).\(Self.payload).",
            error: .invalidHeaderParameter(name: "alg", reason: "is missing")
        ),
        Malformed(
            name: "alg a number",
            input: "\(Self.b64(#"{"alg":256}"#)).\(Self.payload).",
            error: .invalidHeaderParameter(name: "alg", reason: "must be a non-empty string, got number")
        ),
        Malformed(
            name: "kid a number",
            input: "\(Self.b64(#"{"alg":"PS256","kid":1}"#)).\(Self.payload).",
            error: .invalidHeaderParameter(name: "kid", reason: "must be a string, got number")
        ),
        Malformed(
            name: "crit with an unknown extension",
            input: "\(Self.b64(#"{"alg":"PS256","crit":["b64"],"b64":false}"#)).\(Self.payload).",
            error: .unsupportedCriticalHeader(["b64"])
        ),
        Malformed(
            name: "crit empty",
            input: "\(Self.b64(#"{"alg":"PS256","crit":[]}"#)).\(Self.payload).",
            error: .invalidHeaderParameter(name: "crit", reason: "must be a non-empty array of strings")
        ),
        Malformed(
            name: "too large",
            input: "\(Self.header).\(String(repeating: "A", count: 70_000)).",
            error: .tooLarge(limit: CompactJWS.defaultMaximumLength)
        ),
    ]

    @Test("malformed compact serialisations are refused precisely", arguments: Self.malformed)
    func refused(_ testCase: Malformed) {
        #expect(throws: testCase.error) { try CompactJWS.parse(testCase.input) }
    }

    @Test("a well-formed JWS is split and decoded; header keys are only noted")
    func parsed() throws {
        let header = Self.b64(
            #"{"alg":"PS256","kid":"k1","typ":"JWT","x5c":["AAAA"],"jwk":{"kty":"RSA"},"x5u":"https://x"}"#
        )
        let text = "\(header).\(Self.payload).c2ln\n"
        let jws = try CompactJWS.parse(text)
        #expect(jws.header.algorithm == "PS256")
        #expect(jws.header.keyID == "k1")
        #expect(jws.header.type == "JWT")
        #expect(jws.header.hasX509CertificateChain && jws.header.hasJSONWebKey && jws.header.hasX509URL)
        #expect(jws.signingInput == Array("\(header).\(Self.payload)".utf8))
        #expect(jws.signature == Array("sig".utf8))
        #expect(try jws.claims() == ["iss": "x"])
    }

    @Test("alg none parses (so that it can be refused with a precise error) with an empty signature")
    func unsigned() throws {
        let jws = try CompactJWS.parse("\(Self.b64(#"{"alg":"none"}"#)).\(Self.payload).")
        #expect(jws.header.algorithm == "none")
        #expect(jws.signature.isEmpty)
        #expect(jws.header.keyID == nil)
    }

    @Test("a payload that is not a JSON object is refused as claims")
    func payloadNotObject() throws {
        for payload in ["[1,2]", "\"text\"", "not json", ""] {
            let jws = try CompactJWS.parse("\(Self.header).\(Self.b64(payload)).")
            #expect(throws: JOSEError.payloadNotJSONObject) { try jws.claims() }
        }
    }
}
