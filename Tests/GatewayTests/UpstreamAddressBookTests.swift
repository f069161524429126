import GatewayCore
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Gateway

/// `UpstreamAddressBook`: no resolver on a request's path; the last good address survives a
/// failing or slow resolver.
@Suite("UpstreamAddressBook")
struct UpstreamAddressBookTests {
    /// A resolver whose answer the test changes, counting its calls.
    final class FakeResolver: Sendable {
        struct Failure: Error {}
        let state = Mutex<(calls: Int, answer: [SocketAddress])>((0, []))

        func answer(_ addresses: SocketAddress...) { self.state.withLock { $0.answer = addresses } }
        func fail() { self.state.withLock { $0.answer = [] } }
        var calls: Int { self.state.withLock { $0.calls } }

        func resolve(host: String, port: Int) throws -> [SocketAddress] {
            let answer = self.state.withLock { state -> [SocketAddress] in
                state.calls += 1
                return state.answer
            }
            guard !answer.isEmpty else { throw Failure() }
            return answer
        }
    }

    static func withBook(
        _ servers: [String],
        _ body: (UpstreamAddressBook, FakeResolver, any EventLoop) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let resolver = FakeResolver()
        let book = UpstreamAddressBook(
            servers: try servers.map { try UpstreamServer(parsing: $0) },
            refreshInterval: .seconds(30),
            threadPool: pool,
            resolve: { try resolver.resolve(host: $0, port: $1) }
        )
        do {
            try await body(book, resolver, group.next())
        } catch {
            try await pool.shutdownGracefully()
            try await group.shutdownGracefully()
            throw error
        }
        try await pool.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    static let first = try! SocketAddress(ipAddress: "10.0.0.1", port: 9000)
    static let second = try! SocketAddress(ipAddress: "10.0.0.2", port: 9000)

    @Test("a literal IP address is used as it is: never resolved, never forgotten")
    func literal() async throws {
        try await Self.withBook(["http://127.0.0.1:8080"]) { book, resolver, loop in
            book.resolveAll(on: loop)
            book.forget(0)
            let address = book.address(for: 0, now: .now() + .hours(1), on: loop)
            let literal = try SocketAddress(ipAddress: "127.0.0.1", port: 8080)
            #expect(address == literal)
            #expect(resolver.calls == 0)
            #expect(book.lookUp(0) == nil)
        }
    }

    @Test("a name is resolved at start; a stale address is still used while the name is looked up again")
    func staleWhileRevalidate() async throws {
        try await Self.withBook(["http://authorization-server:9000"]) { book, resolver, loop in
            #expect(book.address(for: 0, now: .now(), on: loop) == nil)  // nothing yet: connect by name
            resolver.answer(Self.first)
            book.resolveAll(on: loop)
            try await book.lookUp(0)?.get()
            #expect(book.address(for: 0, now: .now(), on: loop) == Self.first)
            #expect(resolver.calls == 1)  // fresh: no look-up per connection

            resolver.answer(Self.second)
            let later = NIODeadline.now() + .seconds(31)
            #expect(book.address(for: 0, now: later, on: loop) == Self.first)  // stale, used at once
            try await book.lookUp(0)?.get()
            #expect(book.address(for: 0, now: .now(), on: loop) == Self.second)
            #expect(resolver.calls == 2)
        }
    }

    @Test("a failing look-up keeps the last good address")
    func failingResolverKeepsLastGood() async throws {
        try await Self.withBook(["https://api.bank.example:8443"]) { book, resolver, loop in
            book.record(Self.first, for: 0, now: .now())
            resolver.fail()
            #expect(book.address(for: 0, now: .now() + .seconds(31), on: loop) == Self.first)
            try await book.lookUp(0)?.get()
            #expect(resolver.calls == 1)
            #expect(book.address(for: 0, now: .now(), on: loop) == Self.first)
        }
    }

    @Test("a look-up that still lists the address in use keeps it (no flipping between IPv6 and IPv4)")
    func refreshKeepsAnAddressStillListed() async throws {
        try await Self.withBook(["http://localhost:9000"]) { book, resolver, loop in
            book.record(Self.second, for: 0, now: .now())
            resolver.answer(Self.first, Self.second)
            _ = book.address(for: 0, now: .now() + .seconds(31), on: loop)
            try await book.lookUp(0)?.get()
            #expect(book.address(for: 0, now: .now(), on: loop) == Self.second)
        }
    }

    @Test("getaddrinfo: every address of a name, a literal as itself")
    func systemResolver() throws {
        let localhost = try UpstreamAddressBook.getaddrinfo(host: "localhost", port: 8080)
        #expect(localhost.contains { $0.ipAddress == "127.0.0.1" || $0.ipAddress == "::1" }, "\(localhost)")
        #expect(localhost.allSatisfy { $0.port == 8080 })
        let literal = try UpstreamAddressBook.getaddrinfo(host: "10.1.2.3", port: 443)
        #expect(literal.map(\.ipAddress) == ["10.1.2.3"])
    }

    @Test("a failed connection forgets the address; the next connection by name records a new one")
    func forgetAndRecord() async throws {
        try await Self.withBook(["http://a.example:80", "http://b.example:80"]) { book, _, loop in
            book.record(Self.first, for: 0, now: .now())
            book.record(Self.second, for: 1, now: .now())
            book.forget(0)
            #expect(book.address(for: 0, now: .now(), on: loop) == nil)
            #expect(book.address(for: 1, now: .now(), on: loop) == Self.second)
            book.record(Self.second, for: 0, now: .now())
            #expect(book.address(for: 0, now: .now(), on: loop) == Self.second)
        }
    }

    @Test("a recorded address that refuses is forgotten and the name tried once more for the same connection")
    func movedServerIsFoundByName() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let listener = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        let stalePort = try FreePort.reserve()  // nothing listens there any more
        let server = UpstreamServer(scheme: .http, host: "localhost", port: port)
        let book = UpstreamAddressBook(servers: [server])
        book.record(try SocketAddress(ipAddress: "127.0.0.1", port: stalePort), for: 0, now: .now())
        let loop = group.next()
        let pool = EventLoopUpstreamPool(
            eventLoop: loop,
            configuration: UpstreamConfiguration(name: "moved", servers: [server], connectTimeout: .seconds(2)),
            tlsContext: nil,
            addresses: book
        )
        let reached = try await loop.flatSubmit {
            pool.connect(serverIndex: 0).map { connection -> Int? in
                connection.channel.close(promise: nil)
                return connection.channel.remoteAddress?.port
            }
        }.get()
        #expect(reached == port)
        #expect(book.address(for: 0, now: .now(), on: loop)?.port == port)  // the new address is kept
        try await listener.close()
        try await group.shutdownGracefully()
    }

    @Test("only refusals and unreachable addresses count as 'moved', not timeouts or TLS failures")
    func movedErrors() {
        #expect(EventLoopUpstreamPool.mayHaveMoved(IOError(errnoCode: ECONNREFUSED, reason: "connect")))
        #expect(EventLoopUpstreamPool.mayHaveMoved(IOError(errnoCode: EHOSTUNREACH, reason: "connect")))
        #expect(!EventLoopUpstreamPool.mayHaveMoved(ChannelError.connectTimeout(.seconds(1))))
        #expect(!EventLoopUpstreamPool.mayHaveMoved(IOError(errnoCode: ECONNRESET, reason: "read")))
    }
}
