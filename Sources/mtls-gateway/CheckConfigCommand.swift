import ArgumentParser
import Foundation
import GatewayCore

/// `mtls-gateway check-config FILE`: the start-up validation (TLS material included) without
/// binding anything; prints what the gateway would serve.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print its listeners, routes and upstreams."
    )

    @Argument(help: "Path to gateway.conf (TOML).")
    var file: String

    func run() throws {
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader.load(path: self.file)
        } catch {
            FileHandle.standardError.write(Data("invalid configuration \(self.file):\n\(error.description)\n".utf8))
            throw ExitCode(1)
        }
        print(ConfigurationSummary.render(loaded.configuration))
        for warning in loaded.warnings {
            print("warning: \(warning)")
        }
        print("configuration OK")
    }
}
