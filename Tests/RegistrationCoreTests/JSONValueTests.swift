import Foundation
import RegistrationCore
import Testing

@Suite("JSONValue parsing and deterministic serialisation")
struct JSONValueTests {
    @Test("types are kept apart: booleans, integers, doubles, null")
    func types() throws {
        let value = try JSONValue.parse(Array(#"{"b":true,"i":1760000000,"d":1.5,"n":null,"s":"x","a":[1,"2"]}"#.utf8))
        #expect(value == ["b": true, "i": 1_760_000_000, "d": .number(1.5), "n": .null, "s": "x", "a": [1, "2"]])
    }

    @Test("serialisation sorts keys, escapes control characters and leaves / alone")
    func serialise() {
        let value: JSONValue = [
            "z": 1, "a": ["k": "line\nbreak \"quoted\" \u{01} https://x/y"], "m": .number(2.0), "f": false,
        ]
        #expect(value.serialized() == #"{"a":{"k":"line\nbreak \"quoted\" \u0001 https://x/y"},"f":false,"m":2,"z":1}"#)
    }

    @Test("malformed and oversized documents are refused")
    func refused() {
        #expect(throws: JSONValueError.malformed) { try JSONValue.parse(Array("{".utf8)) }
        #expect(throws: JSONValueError.malformed) { try JSONValue.parse(Array("".utf8)) }
        #expect(throws: JSONValueError.tooLarge(limit: 4)) {
            try JSONValue.parse(Array("[1,2,3]".utf8), maximumLength: 4)
        }
    }

    @Test("duplicate members are rejected (RFC 7515 §4, RFC 7519 §4), also in JOSE headers and claims")
    func duplicates() throws {
        #expect(throws: JSONValueError.duplicateMember) {
            try JSONValue.parse(Array(#"{"alg":"none","alg":"PS256"}"#.utf8))
        }
        #expect(throws: JSONValueError.duplicateMember) {
            try JSONValue.parse(Array(#"[{"a":{"b":1,"b":1}}]"#.utf8))
        }
        let header = CompactJWSTests.b64(#"{"alg":"none","alg":"PS256"}"#)
        #expect(throws: JOSEError.headerNotJSONObject) { try CompactJWS.parse("\(header).\(CompactJWSTests.payload).") }
        let claims = CompactJWSTests.b64(#"{"iss":"a","iss":"b"}"#)
        let jws = try CompactJWS.parse("\(CompactJWSTests.header).\(claims).")
        #expect(throws: JOSEError.payloadNotJSONObject) { try jws.claims() }
    }

    static let strictRefusals: [String] = [
        "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "[1] x", "// c\n1", "'a'",
        "\"tab\there\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\x41\"", "{a:1}", "tru", "nul", "1e999",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ]

    @Test("strict RFC 8259: no leniency that another parser might read differently", arguments: Self.strictRefusals)
    func strict(_ text: String) {
        #expect(throws: JSONValueError.malformed) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test("escapes, surrogate pairs, UTF-8, numbers and nesting within the limit")
    func accepted() throws {
        let text = #" { "s" : "a\u00e9\ud83d\ude00\n\/é" , "n" : [ -0 , 0.25 , 1E2 , -12 , 9223372036854775808 ] } "#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(
            value == ["s": "aé😀\n/é", "n": [0, .number(0.25), .number(100), -12, .number(9_223_372_036_854_775_808)]]
        )
        let nested = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue.parse(Array(nested.utf8)) }
        #expect(throws: JSONValueError.malformed) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }
}
