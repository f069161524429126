import RegistrationCore
import Testing

/// One row of a rule table: a change to the valid ``Scenario`` and the expected outcome
/// (`code == nil` means the registration succeeds).
struct RuleCase: Sendable, CustomTestStringConvertible {
    let name: String
    let code: RegistrationError.Code?
    let claim: String?
    let change: @Sendable (inout Scenario) -> Void

    init(
        _ name: String,
        _ code: RegistrationError.Code?,
        claim: String? = nil,
        _ change: @escaping @Sendable (inout Scenario) -> Void
    ) {
        self.name = name
        self.code = code
        self.claim = claim
        self.change = change
    }

    var testDescription: String { self.name }

    /// Runs the case and checks code, claim, and that the description names the claim.
    func check(sourceLocation: SourceLocation = #_sourceLocation) {
        var scenario = Scenario()
        self.change(&scenario)
        let result = scenario.run()
        switch (result, self.code) {
        case (.success, nil):
            break
        case (.failure(let error), let expected?):
            #expect(error.code == expected, "\(error)", sourceLocation: sourceLocation)
            if let claim = self.claim {
                #expect(error.claim == claim, "\(error)", sourceLocation: sourceLocation)
                #expect(error.errorDescription.contains(claim), "\(error)", sourceLocation: sourceLocation)
            }
        case (.success, let expected?):
            Issue.record("expected \(expected.rawValue), the registration succeeded", sourceLocation: sourceLocation)
        case (.failure(let error), nil):
            Issue.record("expected success, got \(error)", sourceLocation: sourceLocation)
        }
    }
}
