import Foundation
import Gateway
import GatewayCore

extension LogsCommand {
    /// The files to read, in order: the FILE arguments; else the access log of `--config` with
    /// its rotated siblings, oldest first; else standard input when it is not a terminal.
    func resolveFiles() throws -> [String] {
        if !self.files.isEmpty {
            return self.files
        }
        if let config = self.config {
            let settings: AccessLogQuerySettings
            do {
                settings = try AccessLogQuerySettings.load(configurationPath: config)
            } catch {
                throw Failure(description: "invalid configuration \(config): \(error.description)")
            }
            guard settings.format == .json else {
                throw Failure(
                    description:
                        "\(config) writes the access log with access_log_format = \"combined\", and mtls-gateway logs reads only JSON access logs (access_log_format = \"json\")."
                )
            }
            guard case .file(let path) = settings.destination else {
                throw Failure(
                    description:
                        "\(config) writes the access log to standard output (access_log = \"stdout\"); pipe that output into mtls-gateway logs - instead."
                )
            }
            let files = self.follow ? [path] : AccessLogReader.rotatedFiles(of: path)
            guard !files.isEmpty else {
                throw Failure(description: "cannot open \(path): No such file or directory")
            }
            return files
        }
        guard isatty(STDIN_FILENO) == 0 else {
            throw Failure(
                description:
                    "no access log given: name a FILE, - for standard input, or --config with the gateway's configuration"
            )
        }
        return ["-"]
    }
}
