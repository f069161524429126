import NIOCore

/// Holds back a channel's reads while its peer cannot take more bytes (backpressure).
///
/// Why: with autoRead, NIO asks for the next read as soon as one completes; a handler that
/// swallows that `read()` while paused, and issues it when resumed, bounds what is buffered to one
/// read batch, however large the body (a 1 GiB transfer then needs a few MiB, not a gigabyte).
struct ReadGate {
    private var paused = false
    private var pending = false

    /// Called from the handler's `read(context:)`.
    mutating func read(context: ChannelHandlerContext) {
        if self.paused {
            self.pending = true
        } else {
            context.read()
        }
    }

    /// Stops passing reads on.
    mutating func pause() {
        self.paused = true
    }

    /// Passes reads on again, issuing one that was held back.
    mutating func resume(context: ChannelHandlerContext?) {
        guard self.paused else { return }
        self.paused = false
        if self.pending, let context {
            self.pending = false
            context.read()
        }
    }
}
