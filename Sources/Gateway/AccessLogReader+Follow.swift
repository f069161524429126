import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension AccessLogReader {
    /// Reads to the end, then keeps reading as lines are appended (`tail -F`), until
    /// `shouldStop` returns `true` (checked after each read and every `pollInterval`).
    ///
    /// Rotation is followed the way the gateway rotates: logrotate renames the file, then
    /// `SIGUSR1` makes the writer reopen the path, and every line logged before the reopen still
    /// goes to the old file. So when the path names a new file, the reader keeps draining the old
    /// one until the new file has data (or the old one was deleted), reads the old one's last
    /// bytes, and only then switches — no line is lost or repeated. A file that shrinks
    /// (`copytruncate`) is read again from its start.
    ///
    /// Standard input and compressed files are read to their end only.
    /// - Parameters:
    ///   - idle: called whenever the reader has caught up and is about to wait, e.g. to flush
    ///     output.
    public func follow(
        pollInterval: Duration,
        shouldStop: () -> Bool,
        idle: () -> Void,
        _ body: LineHandler
    ) throws {
        guard try self.readAvailable(body) else {
            return
        }
        guard self.path != "-", !self.isCompressed else {
            _ = try self.finish(body)
            return
        }
        while !shouldStop() {
            guard try self.readAvailable(body) else {
                return
            }
            idle()
            if shouldStop() {
                return
            }
            switch self.fileChange() {
            case .rotated:
                guard try self.readAvailable(body), try self.finish(body) else {
                    return
                }
                if let descriptor = try? Self.openFile(self.path) {
                    _ = Foundation.close(self.descriptor)
                    self.descriptor = descriptor
                }
            case .truncated:
                lseek(self.descriptor, 0, SEEK_SET)
                self.filled = 0
                self.discarding = false
            case .unchanged:
                Self.sleep(pollInterval)
            }
        }
    }

    private enum FileChange {
        case unchanged
        /// The path names another file, which already has data (or ours was deleted).
        case rotated
        /// Our file is shorter than what was read.
        case truncated
    }

    private func fileChange() -> FileChange {
        var open = stat()
        guard fstat(self.descriptor, &open) == 0 else {
            return .unchanged
        }
        var named = stat()
        if stat(self.path, &named) == 0, named.st_ino != open.st_ino || named.st_dev != open.st_dev {
            return named.st_size > 0 || open.st_nlink == 0 ? .rotated : .unchanged
        }
        let position = lseek(self.descriptor, 0, SEEK_CUR)
        if position >= 0, open.st_size < position {
            return .truncated
        }
        return .unchanged
    }

    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR {
            request = remaining
        }
    }
}
