import ArgumentParser

/// `ob-sandbox`: a stand-in for the Open Banking directory and its PKI, for local testing.
///
/// Each command group lives in its own file (`PKICommand`, `DirectoryCommand`, `SSACommand`,
/// `TPPCommand`, `ResourceServerCommand`, `UpCommand`) and is registered here.
@main
struct OBSandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ob-sandbox",
        abstract: "An Open Banking sandbox: test PKI, directory, SSAs and TPP tools for MTLSGateway.",
        subcommands: [PKICommand.self, DirectoryCommand.self, SSACommand.self, TPPCommand.self, ResourceServerCommand.self, UpCommand.self]
    )
}
