/// Why an access-log file could not be read by ``AccessLogReader``; each case renders as one
/// sentence naming the file.
public enum AccessLogReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be opened (`reason` is the `strerror` text).
    case cannotOpen(path: String, reason: String)
    /// Reading failed part-way.
    case readFailed(path: String, reason: String)
    /// The file is gzip-compressed and no `gzip` executable could be started.
    case decompressorUnavailable(path: String, reason: String)
    /// `gzip -dc` reported an error, e.g. a truncated file.
    case decompressionFailed(path: String, reason: String)

    /// One sentence for the operator.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open \(path): \(reason)"
        case .readFailed(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .decompressorUnavailable(let path, let reason):
            return "cannot read \(path): it is gzip-compressed and gzip could not be started (\(reason))"
        case .decompressionFailed(let path, let reason):
            return "cannot decompress \(path): \(reason)"
        }
    }
}
