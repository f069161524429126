import Foundation
import MTLSIdentity
import OpenBankingSandbox
import RegistrationCore

/// The TPP's side of the demo, step by step, through the running gateway: an SSA, registration
/// (`POST /register` over MTLS), a certificate-bound token (`tls_client_auth`, RFC 8705 §2.1),
/// the accounts API with it, the same token with another certificate (refused: RFC 8705 §3), and
/// the registration read back (`GET /register/{id}`, OB DCR).
///
/// Each step records its result; a step whose input is missing (no client id after a failed
/// registration) is not attempted, so the first failure is the one reported.
struct DemoScript: Sendable {
    /// Titles of the steps, in order.
    static let titles = [
        "SSA from the sandbox directory",
        "POST /register over MTLS",
        "POST /token (tls_client_auth)",
        "GET \(DemoResourceServer.accountsPath) with the token",
        "same token, another client certificate",
        "GET /register/{client_id}",
    ]

    let pki: SandboxPKI
    let directory: SandboxDirectory
    let gatewayURL: String
    let directoryURL: String

    /// What the run produced, for the hints printed afterwards.
    struct Run: Sendable {
        var steps: [DemoStepResult] = []
        var clientID: String?
    }

    /// Runs every step, calling `report` after each.
    func run(report: @Sendable (DemoStepResult, Int) -> Void) async -> Run {
        var run = Run()
        func record(_ result: DemoStepResult) {
            run.steps.append(result)
            report(result, run.steps.count)
        }
        let transport: TPPClient
        let other: TPPClient
        do {
            transport = try self.client(self.pki.transport)
        } catch {
            record(DemoStepResult(title: Self.titles[0], status: nil, succeeded: false, detail: "\(error)"))
            return run
        }
        do {
            other = try self.client(self.pki.obwacTransport)
        } catch {
            await transport.shutdown()
            record(DemoStepResult(title: Self.titles[0], status: nil, succeeded: false, detail: "\(error)"))
            return run
        }
        let clientID = await self.steps(transport: transport, other: other, record: record)
        run.clientID = clientID
        await transport.shutdown()
        await other.shutdown()
        return run
    }

    /// The steps with the two clients; returns the registered client id, if any.
    private func steps(
        transport: TPPClient,
        other: TPPClient,
        record: (DemoStepResult) -> Void
    ) async -> String? {
        let ssa = self.softwareStatement()
        record(ssa.result)
        guard let statement = ssa.value else { return nil }

        let registration = await DemoSteps.register(statement, pki: self.pki, client: transport)
        record(registration.result)
        guard let clientID = registration.value else { return nil }

        let token = await DemoSteps.token(clientID: clientID, pki: self.pki, client: transport)
        record(token.result)
        guard let accessToken = token.value else { return clientID }

        record(await DemoSteps.accounts(accessToken: accessToken, client: transport))
        record(await DemoSteps.accountsWithOtherCertificate(accessToken: accessToken, client: other))
        record(await DemoSteps.readRegistration(clientID: clientID, accessToken: accessToken, client: transport))
        return clientID
    }

    /// Step 1: an SSA signed by the directory key, pointing at the running directory's JWKS.
    private func softwareStatement() -> DemoSteps.Outcome<String> {
        let title = Self.titles[0]
        guard let software = self.directory.software.first else {
            return .init(DemoStepResult(title: title, status: nil, succeeded: false, detail: "the directory knows no software"))
        }
        let request = SoftwareStatementRequest(
            orgID: software.orgID,
            softwareID: software.softwareID,
            redirectURIs: ["https://tpp.example.com/callback"],
            roles: ["AISP", "PISP"],
            jwksBaseURL: self.directoryURL
        )
        do {
            let ssa = try self.directory.issueSoftwareStatement(request)
            let kid = (try? self.directory.keyID()) ?? "?"
            let algorithm = (try? CompactJWS.parse(ssa).header.algorithm) ?? "?"
            let detail = "\(algorithm), kid \(kid); org_id=\(software.orgID) software_id=\(software.softwareID) "
                + "roles=AISP,PISP software_jwks_endpoint=\(request.softwareJWKSEndpoint)"
            return .init(DemoStepResult(title: title, status: nil, succeeded: true, detail: detail), value: ssa)
        } catch {
            return .init(DemoStepResult(title: title, status: nil, succeeded: false, detail: "\(error)"))
        }
    }

    /// A TPP client presenting `certificate` (with the issuing CA) and trusting the sandbox root.
    private func client(_ certificate: IssuedCertificate) throws -> TPPClient {
        let credentials = try TPPCredentials(
            transportChain: [certificate.certificate, self.pki.issuingCA.certificate],
            transportKey: certificate.privateKey,
            trustRoots: [self.pki.root.certificate]
        )
        return try TPPClient(gatewayURL: self.gatewayURL, credentials: credentials, timeout: .seconds(20))
    }
}
