import ArgumentParser

/// `ob-sandbox directory`: the sandbox Open Banking directory (keystore and SSAs).
struct DirectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Run the sandbox Open Banking directory (JWKS keystore and SSA issuance).",
        subcommands: [DirectoryServeCommand.self]
    )
}
