import ArgumentParser

/// `ob-sandbox pki`: the sandbox certificate authority.
struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Create and use the sandbox PKI (an Open-Banking-shaped root and issuing CA).",
        discussion: """
            The TPP's side of onboarding: `pki csr` makes an RSA 2048 key and a CSR with the Open Banking \
            subject rules, `pki sign` signs it with the sandbox issuing CA as the directory does on upload \
            (and publishes it in the software's JWKS).

            PKCS#12 is not produced here. If a client needs a .p12, bundle a certificate and its key with \
            OpenSSL: openssl pkcs12 -export -in pki/tpp-transport.pem -inkey pki/tpp-transport.key \
            -certfile pki/issuing-ca.pem -name tpp-transport -out tpp-transport.p12
            """,
        subcommands: [PKIInitCommand.self, PKICSRCommand.self, PKISignCommand.self]
    )
}
