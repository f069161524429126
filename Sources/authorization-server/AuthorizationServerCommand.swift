import ArgumentParser

/// `authorization-server`: Open Banking dynamic client registration and certificate-bound
/// `client_credentials` tokens, behind `mtls-gateway`.
@main
struct AuthorizationServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorization-server",
        abstract: "Open Banking DCR 3.3 registration and certificate-bound tokens, behind mtls-gateway.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, ClientsCommand.self]
    )
}
