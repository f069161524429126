import Foundation
import MTLSIdentity
import RegistrationCore

/// One validation run: every input can be changed by a test case.
struct Scenario: Sendable {
    /// What goes into the request's `software_statement` claim.
    enum StatementClaim: Sendable {
        /// ``ssa`` signed by the directory key.
        case signed
        /// This JSON value.
        case value(JSONValue)
        /// No claim.
        case absent
    }

    var statement: StatementClaim = .signed
    var request: [String: JSONValue] = Fixtures.requestClaims()
    var ssa: [String: JSONValue] = Fixtures.ssaClaims()
    var presented: ClientIdentity? = Fixtures.legacyIdentity
    var thumbprints: Set<String>? = []
    var policy: RegistrationPolicy = Fixtures.policy
    var now: Date = Fixtures.now

    /// Parses both claim sets as the server would, then validates.
    func run() -> Result<ValidatedRegistration, RegistrationError> {
        do throws(RegistrationError) {
            var requestClaims = self.request
            switch self.statement {
            case .signed: requestClaims["software_statement"] = .string(Fixtures.ssaJWS(self.ssa))
            case .value(let value): requestClaims["software_statement"] = value
            case .absent: break
            }
            let request = try RegistrationRequest(claims: requestClaims)
            let ssa = try SoftwareStatement(claims: self.ssa)
            return RegistrationValidator.validate(
                request: request,
                ssa: ssa,
                presented: self.presented,
                softwareTLSThumbprints: self.thumbprints,
                policy: self.policy,
                now: self.now
            )
        } catch {
            return .failure(error)
        }
    }
}
