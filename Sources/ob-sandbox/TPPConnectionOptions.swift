import ArgumentParser
import Foundation
import OpenBankingSandbox

/// Where the gateway is and which transport identity to present: shared by every `tpp` command.
struct TPPConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "The gateway's base URL.")
    var gateway: String = "https://localhost:8443"

    @Option(name: .long, help: ArgumentHelp("The sandbox PKI directory, for the defaults below.", valueName: "dir"))
    var pki: String = "pki"

    @Option(name: .long, help: ArgumentHelp("Root certificate(s) the gateway's certificate chains to (default <pki>/root-ca.pem).", valueName: "file"))
    var ca: String?

    @Option(
        name: .customLong("transport-cert"),
        help: ArgumentHelp("Transport certificate, optionally followed by the issuing CA (default <pki>/tpp-transport-chain.pem).", valueName: "file")
    )
    var transportCertificate: String?

    @Option(name: .customLong("transport-key"), help: ArgumentHelp("Transport private key (default <pki>/tpp-transport.key).", valueName: "file"))
    var transportKey: String?

    @Option(name: .long, help: "Seconds to wait for each response.")
    var timeout: Int = 30

    @Option(name: .long, help: ArgumentHelp("Print only this member of the JSON response (e.g. client_id, access_token).", valueName: "name"))
    var field: String?

    /// A file of the PKI directory.
    func pkiFile(_ name: String) -> String {
        URL(fileURLWithPath: self.pki).appendingPathComponent(name).path
    }

    /// The client for these options; the caller shuts it down.
    func makeClient() throws -> TPPClient {
        let credentials = try TPPCredentials.load(
            transportCertificate: self.transportCertificate ?? self.pkiFile("tpp-transport-chain.pem"),
            transportKey: self.transportKey ?? self.pkiFile("tpp-transport.key"),
            caFile: self.ca ?? self.pkiFile("root-ca.pem")
        )
        return try TPPClient(gatewayURL: self.gateway, credentials: credentials, timeout: .seconds(max(1, self.timeout)))
    }

    /// Runs `operation` with a client, shuts it down, prints the response and fails on non-2xx.
    func perform(_ operation: (TPPClient) async throws -> TPPResponse) async throws {
        let client = try self.makeClient()
        let response: TPPResponse
        do {
            response = try await operation(client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        if let field = self.field, response.isSuccess {
            guard let value = response.string(field) else {
                print(response.rendered)
                throw CommandFailure(description: "The response has no string member '\(field)'.")
            }
            print(value)
        } else {
            print(response.rendered)
        }
        if !response.isSuccess {
            throw ExitCode(1)
        }
    }
}
