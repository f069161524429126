import Foundation

/// A temporary working directory for one test, removed by ``remove()``.
struct Workspace: Sendable {
    let path: String

    /// A fresh empty directory.
    static func make(_ label: String) throws -> Workspace {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("e2e-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return Workspace(path: path)
    }

    /// `path/name`.
    func file(_ name: String) -> String {
        URL(fileURLWithPath: self.path).appendingPathComponent(name).path
    }

    /// Writes `text` to `name`.
    func write(_ text: String, to name: String) throws {
        try text.write(toFile: self.file(name), atomically: true, encoding: .utf8)
    }

    /// The contents of `name` ("" when missing).
    func read(_ name: String) -> String {
        (try? String(contentsOfFile: self.file(name), encoding: .utf8)) ?? ""
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
