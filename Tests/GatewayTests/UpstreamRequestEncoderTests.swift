import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Gateway

/// `UpstreamRequestEncoder` must frame and serialise exactly as NIO's `HTTPRequestEncoder` did
/// (streaming, chunked re-encoding, trailers and 100-continue rely on it); only the identity
/// block is new.
@Suite("UpstreamRequestEncoder")
struct UpstreamRequestEncoderTests {
    typealias Part = HTTPClientRequestPart

    static func head(_ method: HTTPMethod, _ headers: [(String, String)]) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: "/a/b?c=d", headers: HTTPHeaders(headers))
    }

    static let body = ByteBuffer(string: "hello body")

    /// Method × framing headers × body shapes (none, chunks incl. an empty one, trailers).
    static var cases: [[Part]] {
        let heads: [HTTPRequestHead] = [HTTPMethod.GET, .HEAD, .DELETE, .OPTIONS, .TRACE, .POST, .PUT, .PATCH, .RAW(value: "PURGE")]
            .flatMap { method in
                [
                    [("host", "up.example"), ("x-a", "1")],
                    [("host", "up.example"), ("Content-Length", "10")],
                    [("host", "up.example"), ("Transfer-Encoding", "chunked")],
                    [("host", "up.example"), ("content-length", "10"), ("transfer-encoding", "chunked")],
                    [("host", "up.example"), ("transfer-encoding", "gzip")],
                ].map { Self.head(method, $0) }
            }
        let bodies: [[Part]] = [
            [.end(nil)],
            [.body(.byteBuffer(Self.body)), .end(nil)],
            [.body(.byteBuffer(Self.body)), .body(.byteBuffer(ByteBuffer())), .body(.byteBuffer(Self.body)), .end(nil)],
            [.body(.byteBuffer(Self.body)), .end(HTTPHeaders([("x-checksum", "abc"), ("x-more", "d e")]))],
        ]
        return heads.flatMap { head in bodies.map { [.head(head)] + $0 } }
    }

    static func encode(_ parts: [Part], with handler: any ChannelHandler, promises: Bool) throws -> [UInt8] {
        let channel = EmbeddedChannel(handler: handler)
        var futures: [EventLoopFuture<Void>] = []
        for part in parts {
            if promises {
                let promise = channel.eventLoop.makePromise(of: Void.self)
                channel.write(part, promise: promise)
                futures.append(promise.futureResult)
            } else {
                channel.write(part, promise: nil)
            }
        }
        channel.flush()
        var bytes: [UInt8] = []
        while let data = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { Issue.record("file region"); continue }
            bytes += buffer.readableBytesView
        }
        for future in futures {
            #expect(throws: Never.self) { try future.wait() }
        }
        _ = try channel.finish()
        return bytes
    }

    @Test("same bytes as NIO's HTTPRequestEncoder for every method, framing and body shape, with and without promises")
    func matchesNIO() throws {
        for parts in Self.cases {
            for promises in [false, true] {
                let ours = try Self.encode(parts, with: UpstreamRequestEncoder(), promises: promises)
                let nio = try Self.encode(parts, with: HTTPRequestEncoder(), promises: promises)
                #expect(String(decoding: ours, as: UTF8.self) == String(decoding: nio, as: UTF8.self), "\(parts.first!)")
            }
        }
    }

    @Test("the identity block is appended after the request's headers, before the empty line")
    func identityBlock() throws {
        let encoder = UpstreamRequestEncoder()
        let channel = EmbeddedChannel(handler: encoder)
        encoder.nextHeadSuffix = Array("Client-Cert: :YWJj:\r\nX-Client-Cert-Verify: SUCCESS\r\n".utf8)
        try channel.writeOutbound(Part.head(Self.head(.GET, [("host", "up.example"), ("x-request-id", "r1")])))
        try channel.writeOutbound(Part.end(nil))
        // The suffix is used for one head only.
        try channel.writeOutbound(Part.head(Self.head(.GET, [("host", "up.example")])))
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { continue }
            text += String(buffer: buffer)
        }
        #expect(
            text == "GET /a/b?c=d HTTP/1.1\r\nhost: up.example\r\nx-request-id: r1\r\n"
                + "Client-Cert: :YWJj:\r\nX-Client-Cert-Verify: SUCCESS\r\n\r\n"
                + "GET /a/b?c=d HTTP/1.1\r\nhost: up.example\r\n\r\n"
        )
        _ = try channel.finish()
    }
}
