import ArgumentParser

/// `ob-sandbox tpp`: a third-party provider talking to the bank through the gateway.
struct TPPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tpp",
        abstract: "Act as a TPP: register through the gateway, get tokens, manage the registration.",
        discussion: """
            Every request goes over mutual TLS with the transport certificate (default \
            <pki>/tpp-transport-chain.pem and <pki>/tpp-transport.key) and trusts <pki>/root-ca.pem. The \
            response status and JSON are printed; a non-2xx status exits with 1.
            Typical flow: ob-sandbox ssa create --out ssa.jwt; ob-sandbox tpp register --ssa ssa.jwt \
            --field client_id; ob-sandbox tpp token --client-id ID --field access_token; \
            ob-sandbox tpp get ID --token TOKEN.
            """,
        subcommands: [
            TPPRegisterCommand.self, TPPTokenCommand.self, TPPGetCommand.self, TPPUpdateCommand.self,
            TPPDeleteCommand.self,
        ]
    )
}
