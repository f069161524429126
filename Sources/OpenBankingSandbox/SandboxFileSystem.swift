#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The few file operations the sandbox needs, with explicit permissions.
enum SandboxFileSystem {
    /// Mode of private key files: owner read/write only.
    static let privateMode: mode_t = 0o600
    /// Mode of certificates and README.
    static let publicMode: mode_t = 0o644

    /// Creates `path` and any missing parents (mode 0755; the key files inside are 0600).
    static func createDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw SandboxPKIError.writeFailed(path: path, reason: "it exists and is not a directory")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path {
            try Self.createDirectory(parent)
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw SandboxPKIError.writeFailed(path: path, reason: Self.lastErrorDescription())
        }
    }

    /// Writes `contents` to `path`, replacing it, with permissions exactly `mode`.
    ///
    /// Why open(2) instead of Foundation: the key must never exist with broader permissions, not
    /// even between creation and a later chmod, and an existing file from an older run (possibly
    /// 0644) must be tightened too: so create with `mode`, then `fchmod` the open descriptor.
    /// `O_NOFOLLOW` refuses to write a key through a planted symlink.
    static func write(_ contents: String, to path: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw SandboxPKIError.writeFailed(path: path, reason: Self.lastErrorDescription())
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else {
            throw SandboxPKIError.writeFailed(path: path, reason: Self.lastErrorDescription())
        }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { buffer in
                Self.systemWrite(descriptor, buffer)
            }
            if result < 0 {
                if errno == EINTR {
                    continue
                }
                throw SandboxPKIError.writeFailed(path: path, reason: Self.lastErrorDescription())
            }
            written += result
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, buffer.baseAddress, buffer.count)
        #elseif canImport(Musl)
        Musl.write(descriptor, buffer.baseAddress, buffer.count)
        #else
        Darwin.write(descriptor, buffer.baseAddress, buffer.count)
        #endif
    }

    private static func lastErrorDescription() -> String {
        String(cString: strerror(errno))
    }

    /// Whether a file (or anything else) exists at `path`.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Reads a UTF-8 text file.
    static func read(_ path: String) throws -> String {
        guard Self.exists(path) else {
            throw SandboxPKIError.missingFile(path: path)
        }
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw SandboxPKIError.malformedFile(path: path, reason: "it cannot be read as UTF-8 text")
        }
        return text
    }
}
