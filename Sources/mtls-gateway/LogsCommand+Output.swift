import Foundation

extension LogsCommand {
    /// Standard output through one large buffer, written with `write(2)`.
    ///
    /// Why not `print`: one buffered write per 256 KiB instead of per line keeps JSON
    /// pass-through near read speed. A closed pipe (`logs … | head`) sets ``isClosed`` so the
    /// scan stops instead of dying on `SIGPIPE` mid-way.
    final class Output {
        private var buffer: [UInt8] = []
        private static let capacity = 256 * 1024
        /// The reader of standard output went away (`EPIPE`) or writing failed.
        private(set) var isClosed = false

        init() {
            self.buffer.reserveCapacity(Self.capacity + 4096)
        }

        /// Appends bytes and a newline.
        func appendLine(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.buffer.append(contentsOf: bytes)
            self.buffer.append(UInt8(ascii: "\n"))
            if self.buffer.count >= Self.capacity {
                self.flush()
            }
        }

        /// Appends text as is.
        func append(_ text: String) {
            self.buffer.append(contentsOf: text.utf8)
            if self.buffer.count >= Self.capacity {
                self.flush()
            }
        }

        /// Writes everything buffered.
        func flush() {
            defer { self.buffer.removeAll(keepingCapacity: true) }
            guard !self.isClosed else {
                return
            }
            self.buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count, let base = raw.baseAddress {
                    let count = write(STDOUT_FILENO, base + offset, raw.count - offset)
                    if count < 0 {
                        if errno == EINTR {
                            continue
                        }
                        self.isClosed = true
                        return
                    }
                    offset += count
                }
            }
        }
    }
}
