import ArgumentParser
import AuthorizationServer
import Foundation

/// Loading the configuration for a command.
enum ConfigurationFile {
    /// The validated configuration and its warnings; on a rejected file, every problem is printed
    /// to stderr, one per line, and the command exits with status 1.
    static func load(_ path: String) throws -> LoadedAuthorizationServerConfiguration {
        do {
            return try AuthorizationServerConfigurationLoader.loadReportingWarnings(path: path)
        } catch {
            FileHandle.standardError.write(Data("invalid configuration \(path):\n\(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
