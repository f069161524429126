import ArgumentParser
import AuthorizationServer
import Foundation

/// `authorization-server check-config FILE`: the start-up validation (PEM files, signing key,
/// database URL) without opening the database or binding anything.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print what the server would use.",
        discussion: """
            Exits 1 and prints every problem (with its key path) when the file is invalid. \
            Warnings do not fail the check: for example a [[directory]] jwks file that does not \
            exist yet (software statements from that directory are refused until it does).
            """
    )

    @Argument(help: "Path to authorization-server.conf (TOML).")
    var file: String

    func run() throws {
        let loaded = try ConfigurationFile.load(self.file)
        print(loaded.configuration.summary)
        for warning in loaded.warnings {
            print("warning: \(warning)")
        }
        print("configuration OK")
    }
}
