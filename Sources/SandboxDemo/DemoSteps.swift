import Foundation
import MTLSIdentity
import OpenBankingSandbox
import RegistrationCore

/// The HTTP steps of ``DemoScript``: each sends one request through the gateway and turns the
/// response into a ``DemoStepResult`` with the fields a newcomer should look at.
enum DemoSteps {
    /// A step's result and the value later steps need (nil when it failed).
    struct Outcome<Value: Sendable>: Sendable {
        let result: DemoStepResult
        let value: Value?

        init(_ result: DemoStepResult, value: Value? = nil) {
            self.result = result
            self.value = result.succeeded ? value : nil
        }
    }

    /// Step 2: the request JWT (PS256 with the TPP signing key, every OB claim, fresh `jti`),
    /// posted over MTLS with the legacy transport certificate. Expects 201 and a `client_id`.
    static func register(_ ssa: String, pki: SandboxPKI, client: TPPClient) async -> Outcome<String> {
        let title = DemoScript.titles[1]
        let response: TPPResponse
        do {
            let builder = try RegistrationRequestBuilder(softwareStatement: ssa, transportCertificate: pki.transport.certificate)
            let signer = try JWSKeyConversion.signer(pki.signing.privateKey)
            response = try await client.register(requestJWT: try builder.sign(with: signer))
        } catch {
            return Outcome(DemoStepResult(title: title, status: nil, succeeded: false, detail: "\(error)"))
        }
        guard response.status == 201, let clientID = response.string("client_id") else {
            return Outcome(Self.unexpected(title, response, expected: 201))
        }
        let detail = Self.fields(response, ["client_id", "token_endpoint_auth_method", "tls_client_auth_subject_dn", "scope"])
        return Outcome(DemoStepResult(title: title, status: 201, succeeded: true, detail: detail), value: clientID)
    }

    /// Step 3: `client_credentials` with `tls_client_auth` for scope `accounts`. Expects 200 and a
    /// token whose `cnf.x5t#S256` is the transport certificate's thumbprint.
    static func token(clientID: String, pki: SandboxPKI, client: TPPClient) async -> Outcome<String> {
        let title = DemoScript.titles[2]
        let response: TPPResponse
        do {
            response = try await client.requestToken(clientID: clientID, scope: "accounts")
        } catch {
            return Outcome(DemoStepResult(title: title, status: nil, succeeded: false, detail: "\(error)"))
        }
        guard response.status == 200, let token = response.string("access_token") else {
            return Outcome(Self.unexpected(title, response, expected: 200))
        }
        let bound = (try? CompactJWS.parse(token).claims())?["cnf"]?.objectValue?["x5t#S256"]?.stringValue
        let expected = try? ClientIdentity(validatedChain: [pki.transport.certificate]).thumbprintS256
        guard let bound, bound == expected else {
            let detail = "the token's cnf.x5t#S256 (\(bound ?? "none")) is not the transport certificate's (\(expected ?? "?"))"
            return Outcome(DemoStepResult(title: title, status: 200, succeeded: false, detail: detail))
        }
        let detail = Self.fields(response, ["token_type", "expires_in", "scope"])
            + ", cnf.x5t#S256=\(bound) (the transport certificate's SHA-256)"
        return Outcome(DemoStepResult(title: title, status: 200, succeeded: true, detail: detail), value: token)
    }

    /// Step 4: the accounts API with the bound token and the same certificate. Expects 200.
    static func accounts(accessToken: String, client: TPPClient) async -> DemoStepResult {
        let title = DemoScript.titles[3]
        let response: TPPResponse
        do {
            response = try await Self.getAccounts(accessToken: accessToken, client: client)
        } catch {
            return DemoStepResult(title: title, status: nil, succeeded: false, detail: "\(error)")
        }
        guard response.status == 200,
            let data = response.jsonObject?["Data"] as? [String: Any],
            let accounts = data["Account"] as? [[String: Any]]
        else {
            return Self.unexpected(title, response, expected: 200)
        }
        let names = accounts.map { "\($0["AccountId"] ?? "?") \($0["Nickname"] ?? "")" }.joined(separator: ", ")
        return DemoStepResult(title: title, status: 200, succeeded: true, detail: "\(accounts.count) accounts (\(names))")
    }

    /// Step 5: the same token from a client presenting another valid certificate of the same CA
    /// (the OBWAC transport): the gateway lets it through (the certificate is trusted), the API
    /// refuses it (the token is bound to the legacy transport certificate). Expects 401.
    static func accountsWithOtherCertificate(accessToken: String, client: TPPClient) async -> DemoStepResult {
        let title = DemoScript.titles[4]
        let response: TPPResponse
        do {
            response = try await Self.getAccounts(accessToken: accessToken, client: client)
        } catch {
            return DemoStepResult(title: title, status: nil, succeeded: false, detail: "\(error)")
        }
        guard response.status == 401 else {
            return DemoStepResult(
                title: title,
                status: response.status,
                succeeded: false,
                detail: "expected 401 (the token is bound to another certificate), got \(response.status): \(Self.compact(response))"
            )
        }
        let reason = response.string("error_description") ?? Self.compact(response)
        return DemoStepResult(title: title, status: 401, succeeded: true, detail: "refused as it should be: \(reason)")
    }

    /// Step 6: OB DCR read with the client's access token. Expects 200.
    static func readRegistration(clientID: String, accessToken: String, client: TPPClient) async -> DemoStepResult {
        let title = DemoScript.titles[5]
        let response: TPPResponse
        do {
            response = try await client.readRegistration(clientID: clientID, accessToken: accessToken)
        } catch {
            return DemoStepResult(title: title, status: nil, succeeded: false, detail: "\(error)")
        }
        guard response.status == 200 else {
            return Self.unexpected(title, response, expected: 200)
        }
        let detail = Self.fields(response, ["client_id", "software_id", "org_id", "software_client_name", "redirect_uris"])
        return DemoStepResult(title: title, status: 200, succeeded: true, detail: detail)
    }

    private static func getAccounts(accessToken: String, client: TPPClient) async throws -> TPPResponse {
        try await client.send(
            method: .GET,
            url: client.gatewayURL + DemoResourceServer.accountsPath,
            headers: [("Authorization", "Bearer \(accessToken)"), ("Accept", "application/json")]
        )
    }

    /// `name=value` for each present member (arrays joined with spaces).
    static func fields(_ response: TPPResponse, _ names: [String]) -> String {
        let object = response.jsonObject ?? [:]
        return names.compactMap { name -> String? in
            guard let value = object[name] else { return nil }
            if let array = value as? [Any] {
                return "\(name)=\(array.map { "\($0)" }.joined(separator: " "))"
            }
            return "\(name)=\(value)"
        }.joined(separator: ", ")
    }

    private static func unexpected(_ title: String, _ response: TPPResponse, expected: Int) -> DemoStepResult {
        DemoStepResult(
            title: title,
            status: response.status,
            succeeded: false,
            detail: "expected \(expected), got \(response.status): \(Self.compact(response))"
        )
    }

    /// The body on one line, at most 300 characters.
    private static func compact(_ response: TPPResponse) -> String {
        let text = String(decoding: response.body, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
