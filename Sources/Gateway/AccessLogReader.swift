import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams the lines of one access-log file — plain, gzip-compressed (rotated), or standard
/// input — in constant memory, for `mtls-gateway logs`.
///
/// Reads go straight into one reusable buffer with large `read(2)` calls, lines are found with
/// `memchr`, and each line is handed out as a range of that buffer: no per-line copy or
/// allocation. Lines longer than the buffer are skipped and counted (``oversizedLines``).
/// A trailing `\r` is dropped. ``follow(pollInterval:shouldStop:idle:_:)`` keeps reading as the
/// file grows and across rotation.
///
/// Compressed files are recognised by their magic bytes (RFC 1952 §2.3.1: `1f 8b`), whatever
/// their name, and decompressed by a `gzip -dc` child process reading the already-open file and
/// writing into a pipe; see `AccessLogReader+Gzip.swift` for why a child process.
///
/// Not thread-safe: one reader belongs to one loop.
public final class AccessLogReader {
    /// Receives one line: `range` of `storage`, without the newline. Return `false` to stop.
    public typealias LineHandler = (_ storage: [UInt8], _ range: Range<Int>) throws -> Bool

    /// The path as given (`-` for standard input).
    public let path: String
    /// Whether the file is gzip-compressed.
    public private(set) var isCompressed = false
    /// Lines skipped because they did not fit in the buffer.
    public private(set) var oversizedLines = 0

    /// The buffer size; a longer line is skipped.
    static let bufferSize = 2 << 20

    var descriptor: CInt
    var decompressor: Decompressor?
    private var buffer: [UInt8] = []
    /// Bytes of `buffer` holding data (an unterminated line at the front).
    var filled = 0
    /// Inside a line that overflowed the buffer: drop bytes until its newline.
    var discarding = false

    /// Opens `path` (`-` reads standard input).
    /// - Throws: ``AccessLogReaderError`` when the file cannot be opened, is a directory, or is
    ///   compressed and `gzip` cannot be started.
    public init(path: String) throws(AccessLogReaderError) {
        self.path = path
        if path == "-" {
            self.descriptor = STDIN_FILENO
            return
        }
        self.descriptor = try Self.openFile(path)
        if Self.hasGzipMagic(self.descriptor) {
            self.isCompressed = true
            do {
                let decompressor = try Decompressor(input: self.descriptor)
                self.decompressor = decompressor
                _ = Foundation.close(self.descriptor)
                self.descriptor = decompressor.output
            } catch {
                _ = Foundation.close(self.descriptor)
                throw .decompressorUnavailable(path: path, reason: "\(error)")
            }
        }
    }

    deinit {
        self.close()
    }

    /// Whether the file at `path` can be opened for reading (checked before any output, so an
    /// unreadable file fails the command up front).
    public static func checkReadable(_ path: String) throws(AccessLogReaderError) {
        guard path != "-" else {
            return
        }
        let descriptor = try Self.openFile(path)
        _ = Foundation.close(descriptor)
    }

    /// Closes the file; a decompressor still running (the caller stopped early) is terminated.
    public func close() {
        if let decompressor = self.decompressor {
            decompressor.terminate()
            self.decompressor = nil
            self.descriptor = -1
        } else if self.descriptor > STDIN_FILENO {
            _ = Foundation.close(self.descriptor)
            self.descriptor = -1
        }
    }

    /// Reads until the end of the data available now, calling `body` for every complete line.
    /// An unterminated last line stays buffered (see ``finish(_:)``).
    /// - Returns: `false` if `body` asked to stop.
    /// - Throws: ``AccessLogReaderError`` on a read or decompression error, or what `body` throws.
    public func readAvailable(_ body: LineHandler) throws -> Bool {
        var buffer = self.buffer
        self.buffer = []
        if buffer.isEmpty {
            buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        }
        defer { self.buffer = buffer }
        var searchFrom = self.filled
        while true {
            guard try self.emitLines(&buffer, searchFrom: searchFrom, body) else {
                return false
            }
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else {
                    return 0
                }
                return Foundation.read(self.descriptor, base + self.filled, raw.count - self.filled)
            }
            if count == 0 {
                try self.decompressor?.checkSuccess(path: self.path)
                return true
            }
            if count < 0 {
                let error = errno
                if error == EINTR {
                    continue
                }
                if error == EAGAIN {
                    return true
                }
                throw AccessLogReaderError.readFailed(path: self.path, reason: String(cString: strerror(error)))
            }
            searchFrom = self.filled
            self.filled += count
        }
    }

    /// Passes the unterminated last line, if any, to `body` (at the real end of a file).
    /// - Returns: what `body` returned, or `true` when there was no such line.
    public func finish(_ body: LineHandler) rethrows -> Bool {
        defer {
            self.filled = 0
            self.discarding = false
        }
        guard self.filled > 0, !self.discarding else {
            return true
        }
        let end = self.buffer[self.filled - 1] == UInt8(ascii: "\r") ? self.filled - 1 : self.filled
        return try body(self.buffer, 0..<end)
    }

    /// Hands every complete line in `buffer[0..<filled]` to `body` and moves the unterminated
    /// rest to the front. Bytes before `searchFrom` are known to hold no newline.
    private func emitLines(_ buffer: inout [UInt8], searchFrom: Int, _ body: LineHandler) throws -> Bool {
        var start = 0
        var from = searchFrom
        var keepGoing = true
        while keepGoing, let newline = Self.newline(in: buffer, from: from, to: self.filled) {
            if self.discarding {
                self.discarding = false
            } else {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") {
                    end -= 1
                }
                keepGoing = try body(buffer, start..<end)
            }
            start = newline + 1
            from = start
        }
        if start > 0 {
            let rest = self.filled - start
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress, rest > 0 else {
                    return
                }
                memmove(base, base + start, rest)
            }
            self.filled = rest
        } else if self.filled == buffer.count {
            // One line fills the whole buffer: skip it up to its newline.
            if !self.discarding {
                self.oversizedLines += 1
            }
            self.discarding = true
            self.filled = 0
        }
        return keepGoing
    }

    private static func newline(in buffer: [UInt8], from: Int, to end: Int) -> Int? {
        guard from < end else {
            return nil
        }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress, let found = memchr(base + from, 0x0A, end - from) else {
                return nil
            }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    static func openFile(_ path: String) throws(AccessLogReaderError) -> CInt {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            _ = Foundation.close(descriptor)
            throw .cannotOpen(path: path, reason: "it is a directory")
        }
        return descriptor
    }

    private static func hasGzipMagic(_ descriptor: CInt) -> Bool {
        var magic: (UInt8, UInt8) = (0, 0)
        let count = withUnsafeMutableBytes(of: &magic) { pread(descriptor, $0.baseAddress, 2, 0) }
        return count == 2 && magic.0 == 0x1F && magic.1 == 0x8B
    }
}
