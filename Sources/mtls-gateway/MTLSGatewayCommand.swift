import ArgumentParser

/// `mtls-gateway`: the mutual-TLS reverse proxy for Open Banking.
@main
struct MTLSGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mtls-gateway",
        abstract: "Mutual-TLS reverse proxy for UK Open Banking.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, LogsCommand.self]
    )
}
