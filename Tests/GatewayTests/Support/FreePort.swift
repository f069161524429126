import NIOCore
import NIOPosix

/// A loopback port that nothing listens on (bound, read, closed): for "upstream down" tests.
enum FreePort {
    static func reserve() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 0
        try channel.close().wait()
        return port
    }
}
