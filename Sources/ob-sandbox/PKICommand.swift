import ArgumentParser

/// `ob-sandbox pki`: the sandbox certificate authority.
struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Create and use the sandbox PKI (an Open-Banking-shaped root and issuing CA).",
        subcommands: [PKIInitCommand.self]
    )
}
