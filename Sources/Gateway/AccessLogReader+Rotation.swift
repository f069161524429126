import Foundation

extension AccessLogReader {
    /// The rotated siblings of the log at `path`, oldest first, followed by `path` itself (if it
    /// exists): what `mtls-gateway logs --config` reads by default.
    ///
    /// Recognised names are logrotate's: numbered (`access.log.1`, `access.log.2.gz`, … — a
    /// higher number is older) and dated (`access.log-20261130`, `access.log-20261130.gz` —
    /// an earlier date is older; dated files sort before numbered ones). Other compressions
    /// (`.bz2`, `.xz`, `.zst`) are not readable and are left out.
    public static func rotatedFiles(of path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var numbered: [(number: Int, name: String)] = []
        var dated: [String] = []
        for name in names where name.hasPrefix(base) && name != base {
            var suffix = Substring(name.dropFirst(base.count))
            if suffix.hasSuffix(".gz") {
                suffix = suffix.dropLast(3)
            }
            guard let marker = suffix.first, suffix.count > 1 else {
                continue
            }
            let rest = suffix.dropFirst()
            if marker == ".", rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber), let number = Int(rest) {
                numbered.append((number, name))
            } else if marker == "-", rest.first?.isNumber == true,
                rest.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "_") })
            {
                dated.append(name)
            }
        }
        let ordered = dated.sorted() + numbered.sorted { $0.number > $1.number }.map(\.name)
        var files = ordered.map { directory + "/" + $0 }
        if FileManager.default.fileExists(atPath: path) {
            files.append(path)
        }
        return files
    }
}
