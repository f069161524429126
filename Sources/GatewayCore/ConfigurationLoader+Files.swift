import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ConfigurationLoader {
    /// The largest configuration or PEM file read; anything bigger is certainly a mistake (a log
    /// file configured as a certificate, say) and is not slurped into memory.
    static let maximumFileSize = 4 * 1024 * 1024

    /// `path` made absolute against `directory` (when relative) and normalised (`.` and `..`
    /// removed). Relative paths in a configuration file resolve against the file's own folder, so
    /// the gateway behaves the same whatever its working directory.
    public static func resolve(_ path: String, against directory: String) -> String {
        let url: URL
        if path.hasPrefix("/") {
            url = URL(fileURLWithPath: path)
        } else {
            url = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(path)
        }
        return url.standardizedFileURL.path
    }

    /// The process's working directory.
    public static var currentDirectory: String {
        FileManager.default.currentDirectoryPath
    }

    /// Reads a UTF-8 text file, or returns the reason it cannot be read (`strerror` text, e.g.
    /// `No such file or directory`), which goes into the problem message verbatim.
    public static func readTextFile(atPath path: String) -> Result<String, FileReadFailure> {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            return .failure(FileReadFailure(reason: Self.lastErrorDescription()))
        }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(FileReadFailure(reason: Self.lastErrorDescription()))
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
            if bytes.count > Self.maximumFileSize {
                return .failure(FileReadFailure(reason: "file is larger than \(Self.maximumFileSize) bytes"))
            }
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// Why a file could not be read.
    public struct FileReadFailure: Error {
        /// E.g. `No such file or directory`.
        public var reason: String
    }

    /// `strerror(errno)`.
    private static func lastErrorDescription() -> String {
        guard let message = strerror(errno) else { return "error \(errno)" }
        return String(cString: message)
    }

    /// A date as `YYYY-MM-DD` (UTC), for certificate expiry messages.
    public static func calendarDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 0
        let month = parts.month ?? 0
        let day = parts.day ?? 0
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }
}
