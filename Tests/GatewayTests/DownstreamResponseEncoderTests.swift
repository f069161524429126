import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// `DownstreamResponseEncoder` must frame and serialise exactly as NIO's server pipeline
/// (`HTTPResponseEncoder` fed by its paired request decoder) did: HEAD and CONNECT answers,
/// bodyless statuses, HTTP/1.0, chunked re-encoding and trailers rely on it.
@Suite("DownstreamResponseEncoder")
struct DownstreamResponseEncoderTests {
    typealias Part = HTTPServerResponsePart

    struct Case: CustomStringConvertible {
        var method: HTTPMethod
        var version: HTTPVersion
        var parts: [Part]
        var description: String { "\(self.method) \(self.version) \(self.parts.first.map(String.init(describing:)) ?? "")" }
    }

    static let body = ByteBuffer(string: "hello body")

    /// Request method × version × status × framing headers × body shapes, plus 100 Continue
    /// before the final response.
    static var cases: [Case] {
        let framings: [[(String, String)]] = [
            [("content-type", "text/plain")],
            [("Content-Length", "10")],
            [("Transfer-Encoding", "chunked")],
            [("content-length", "10"), ("transfer-encoding", "chunked")],
            [("transfer-encoding", "gzip")],
        ]
        let bodies: [[Part]] = [
            [.end(nil)],
            [.body(.byteBuffer(Self.body)), .end(nil)],
            [.body(.byteBuffer(Self.body)), .body(.byteBuffer(ByteBuffer())), .body(.byteBuffer(Self.body)), .end(nil)],
            [.body(.byteBuffer(Self.body)), .end(HTTPHeaders([("x-checksum", "abc"), ("x-more", "d e")]))],
        ]
        let statuses: [HTTPResponseStatus] = [.ok, .created, .noContent, .notModified, .notFound, .custom(code: 599, reasonPhrase: "Odd")]
        var cases: [Case] = []
        for method in [HTTPMethod.GET, .HEAD, .POST, .CONNECT] {
            for version in [HTTPVersion.http1_1, .http1_0] {
                for status in statuses {
                    for framing in framings {
                        for body in bodies {
                            let head = HTTPResponseHead(version: version, status: status, headers: HTTPHeaders(framing))
                            cases.append(Case(method: method, version: version, parts: [.head(head)] + body))
                        }
                    }
                }
                let interim = HTTPResponseHead(version: version, status: .continue)
                let final = HTTPResponseHead(version: version, status: .ok, headers: HTTPHeaders([("content-type", "text/plain")]))
                cases.append(Case(method: method, version: version, parts: [.head(interim), .head(final), .body(.byteBuffer(Self.body)), .end(nil)]))
            }
        }
        return cases
    }

    /// NIO's server pipeline: a request of `method` is decoded first, so its encoder knows what
    /// the response answers.
    static func encodeWithNIO(_ testCase: Case) throws -> String {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
        let target = testCase.method == .CONNECT ? "up.example:443" : "/"
        let request = "\(testCase.method.rawValue) \(target) HTTP/\(testCase.version.major).\(testCase.version.minor)\r\nhost: up.example\r\n\r\n"
        try channel.writeInbound(ByteBuffer(string: request))
        while try channel.readInbound(as: HTTPServerRequestPart.self) != nil {}
        for part in testCase.parts {
            channel.write(part, promise: nil)
        }
        channel.flush()
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { Issue.record("file region"); continue }
            text += String(buffer: buffer)
        }
        _ = try channel.finish()
        return text
    }

    static func encodeWithOurs(_ testCase: Case) -> String {
        var encoder = DownstreamResponseEncoder()
        let allocator = ByteBufferAllocator()
        var text = ""
        for part in testCase.parts {
            switch part {
            case .head(let head):
                text += String(buffer: encoder.encodeHead(head, answering: testCase.method, allocator: allocator))
            case .body(.byteBuffer(let buffer)):
                encoder.encodeBody(buffer, allocator: allocator) { text += String(buffer: $0) }
            case .body(.fileRegion):
                Issue.record("file region")
            case .end(let trailers):
                if let bytes = encoder.encodeEnd(trailers, allocator: allocator) { text += String(buffer: bytes) }
            }
        }
        return text
    }

    @Test("same bytes as NIO's server pipeline for every method, version, status, framing and body shape")
    func matchesNIO() throws {
        let cases = Self.cases
        #expect(cases.count > 900)
        for testCase in cases {
            #expect(Self.encodeWithOurs(testCase) == (try Self.encodeWithNIO(testCase)), "\(testCase)")
        }
    }

    @Test("two responses on one connection: the HEAD answer's suppression ends with it")
    func stateResetsBetweenResponses() {
        var encoder = DownstreamResponseEncoder()
        let allocator = ByteBufferAllocator()
        var text = ""
        let head = HTTPResponseHead(version: .http1_1, status: .ok)
        for method in [HTTPMethod.HEAD, .GET] {
            text += String(buffer: encoder.encodeHead(head, answering: method, allocator: allocator))
            encoder.encodeBody(Self.body, allocator: allocator) { text += String(buffer: $0) }
            if let end = encoder.encodeEnd(nil, allocator: allocator) { text += String(buffer: end) }
        }
        #expect(
            text == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\na\r\nhello body\r\n0\r\n\r\n"
        )
    }
}
