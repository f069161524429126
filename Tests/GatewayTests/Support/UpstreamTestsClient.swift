import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The downstream side of the upstream tests: one TLS connection to the gateway (presenting the
/// sandbox transport certificate) that sends requests one after another, byte for byte, and
/// parses each response exactly as it came off the wire.
///
/// Why not curl: these tests need several requests on *one* downstream connection (the upstream
/// pool belongs to that connection's event loop) and the raw bytes between responses (HEAD framing).
enum UpstreamTestsClient {
    struct Request: Sendable {
        var text: String
        var isHead: Bool
        /// Runs before the request is sent (e.g. to wait for an upstream event).
        var before: (@Sendable () async -> Void)?

        /// A request with `Host: localhost` and the given extra header lines.
        static func get(
            _ path: String,
            method: String = "GET",
            headers: [String] = [],
            before: (@Sendable () async -> Void)? = nil
        ) -> Request {
            let hasHost = headers.contains { $0.lowercased().hasPrefix("host:") }
            var text = "\(method) \(path) HTTP/1.1\r\n"
            if !hasHost { text += "Host: localhost\r\n" }
            for header in headers { text += header + "\r\n" }
            return Request(text: text + "\r\n", isHead: method == "HEAD", before: before)
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: String
        /// The response exactly as received (head and body).
        var raw: String

        /// The first value of a header, by case-insensitive name.
        func header(_ name: String) -> String? {
            self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        /// Every header name, lowercased.
        var headerNames: [String] { self.headers.map { $0.name.lowercased() } }
    }

    struct ProtocolError: Error, CustomStringConvertible {
        var description: String
    }

    private static let sslContext: NIOSSLContext = {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .file(TestPKI.path("root-ca.pem"))
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(TestPKI.path("tpp-transport-chain.pem"))
                .map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: TestPKI.path("tpp-transport.key"), format: .pem))
            return try NIOSSLContext(configuration: configuration)
        } catch {
            fatalError("cannot build the test client's TLS context: \(error)")
        }
    }()

    /// Sends `requests` in order on one connection, each after the previous response is complete;
    /// returns one response per request or throws.
    static func exchange(port: Int, _ requests: [Request]) async throws -> [Response] {
        let context = Self.sslContext
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var pending: [UInt8] = []
            var responses: [Response] = []
            for request in requests {
                await request.before?()
                try await outbound.write(ByteBuffer(string: request.text))
                while true {
                    if let (response, used) = try Self.parse(pending, isHead: request.isHead, atEOF: false) {
                        pending.removeFirst(used)
                        responses.append(response)
                        break
                    }
                    guard var chunk = try await iterator.next() else {
                        guard let (response, _) = try Self.parse(pending, isHead: request.isHead, atEOF: true) else {
                            throw ProtocolError(description: "connection closed mid-response: \(String(decoding: pending, as: UTF8.self))")
                        }
                        responses.append(response)
                        guard responses.count == requests.count else {
                            throw ProtocolError(description: "connection closed after \(responses.count) of \(requests.count) responses")
                        }
                        return responses
                    }
                    pending += chunk.readBytes(length: chunk.readableBytes) ?? []
                }
            }
            return responses
        }
    }

    /// One response from the front of `bytes` and how many bytes it used; nil if incomplete.
    static func parse(_ bytes: [UInt8], isHead: Bool, atEOF: Bool) throws -> (Response, Int)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = Self.find(separator, in: bytes, from: 0) else { return nil }
        let headText = String(decoding: bytes[..<headEnd], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw ProtocolError(description: "not an HTTP response: \(headText)")
        }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let bodyStart = headEnd + separator.count
        func value(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        var body: [UInt8] = []
        var end = bodyStart
        if isHead || status == 204 || status == 304 || (100..<200).contains(status) {
            end = bodyStart
        } else if value("transfer-encoding")?.lowercased() == "chunked" {
            var index = bodyStart
            while true {
                guard let lineEnd = Self.find(Array("\r\n".utf8), in: bytes, from: index) else { return nil }
                let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw ProtocolError(description: "bad chunk size \(sizeText)")
                }
                index = lineEnd + 2
                if size == 0 {
                    // No trailers expected in these tests: the final CRLF follows.
                    guard bytes.count >= index + 2 else { return nil }
                    end = index + 2
                    break
                }
                guard bytes.count >= index + size + 2 else { return nil }
                body += bytes[index..<(index + size)]
                index += size + 2
            }
        } else if let length = value("content-length").flatMap({ Int($0) }) {
            guard bytes.count >= bodyStart + length else { return nil }
            body = Array(bytes[bodyStart..<(bodyStart + length)])
            end = bodyStart + length
        } else {
            // Delimited by the close.
            guard atEOF else { return nil }
            body = Array(bytes[bodyStart...])
            end = bytes.count
        }
        let response = Response(
            status: status,
            headers: headers,
            body: String(decoding: body, as: UTF8.self),
            raw: String(decoding: bytes[..<end], as: UTF8.self)
        )
        return (response, end)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
