import ArgumentParser

/// `ob-sandbox ssa`: software statement assertions signed by the sandbox directory.
struct SSACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssa",
        abstract: "Issue software statement assertions (SSAs) signed by the sandbox directory.",
        subcommands: [SSACreateCommand.self]
    )
}
