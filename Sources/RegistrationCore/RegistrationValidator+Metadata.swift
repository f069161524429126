extension RegistrationValidator {
    /// `grant_types` ⊆ the policy's (open-banking.md §5). Absent means `authorization_code`
    /// (RFC 7591 §2); an empty array is refused. Duplicates are removed.
    static func checkGrantTypes(
        _ grantTypes: [String]?,
        policy: RegistrationPolicy
    ) throws(RegistrationError) -> [String] {
        let requested = grantTypes ?? ["authorization_code"]
        guard !requested.isEmpty else {
            throw RegistrationError(.invalidClientMetadata, "grant_types must not be empty", claim: "grant_types")
        }
        var registered: [String] = []
        for grantType in requested where !registered.contains(grantType) {
            guard policy.grantTypes.contains(grantType) else {
                throw RegistrationError(
                    .invalidClientMetadata,
                    "grant_types value '\(grantType)' is not supported "
                        + "(supported: \(policy.grantTypes.sorted().joined(separator: ", ")))",
                    claim: "grant_types"
                )
            }
            registered.append(grantType)
        }
        return registered
    }

    /// `response_types` ⊆ the policy's (`code`, `code id_token`). Each value is a set of
    /// space-separated tokens whose order does not matter (RFC 6749 §3.1.1), so `id_token code`
    /// is registered as `code id_token`. Absent means `code` when `authorization_code` is
    /// registered (RFC 7591 §2), nothing otherwise.
    static func checkResponseTypes(
        _ responseTypes: [String]?,
        grantTypes: [String],
        policy: RegistrationPolicy
    ) throws(RegistrationError) -> [String] {
        guard let responseTypes else {
            return grantTypes.contains("authorization_code") ? ["code"] : []
        }
        var registered: [String] = []
        for responseType in responseTypes {
            let tokens = Self.tokens(responseType)
            guard let known = policy.responseTypes.first(where: { Self.tokens($0) == tokens }) else {
                throw RegistrationError(
                    .invalidClientMetadata,
                    "response_types value '\(responseType)' is not supported "
                        + "(supported: \(policy.responseTypes.sorted().map { "'\($0)'" }.joined(separator: ", ")))",
                    claim: "response_types"
                )
            }
            if !registered.contains(known) {
                registered.append(known)
            }
        }
        return registered
    }

    /// `scope` rules (open-banking.md §5): a space-delimited string of at most
    /// ``RegistrationPolicy/maximumScopeLength`` characters, each scope allowed by the SSA's
    /// `software_roles` (AISP→accounts, PISP→payments, CBPII→fundsconfirmations) or always
    /// allowed (`openid`). Absent or empty registers the default scopes the roles allow.
    ///
    /// Why: a PISP-only software must not obtain account-information access by asking for it.
    static func checkScope(
        _ scope: String?,
        ssa: SoftwareStatement,
        policy: RegistrationPolicy
    ) throws(RegistrationError)
        -> [String]
    {
        let allowed = policy.allowedScopes(forRoles: ssa.softwareRoles)
        let requested = scope ?? ""
        guard requested.count <= policy.maximumScopeLength else {
            throw RegistrationError(
                .invalidClientMetadata,
                "scope is longer than \(policy.maximumScopeLength) characters",
                claim: "scope"
            )
        }
        let scopes = requested.split(separator: " ").map(String.init)
        guard !scopes.isEmpty else {
            return (policy.defaultScopes ?? allowed).intersection(allowed).sorted()
        }
        var registered: [String] = []
        for scopeValue in scopes where !registered.contains(scopeValue) {
            guard allowed.contains(scopeValue) else {
                let roles = ssa.softwareRoles.isEmpty ? "none" : ssa.softwareRoles.joined(separator: ", ")
                throw RegistrationError(
                    .invalidClientMetadata,
                    "scope '\(scopeValue)' is not allowed for the software_roles of the software_statement (\(roles))",
                    claim: "scope"
                )
            }
            registered.append(scopeValue)
        }
        return registered
    }

    /// `application_type` is one of the policy's (`web`, `mobile`, `native`); absent means `web`
    /// (OIDC Registration §2).
    static func checkApplicationType(
        _ applicationType: String?,
        policy: RegistrationPolicy
    ) throws(RegistrationError)
        -> String
    {
        guard let applicationType else { return "web" }
        guard policy.applicationTypes.contains(applicationType) else {
            throw RegistrationError(
                .invalidClientMetadata,
                "application_type '\(applicationType)' is not supported "
                    + "(supported: \(policy.applicationTypes.sorted().joined(separator: ", ")))",
                claim: "application_type"
            )
        }
        return applicationType
    }

    /// An algorithm claim is one of the allowed JWS algorithms (PS256, ES256; never `none`).
    static func checkAlgorithm(
        _ name: String?,
        claim: String,
        policy: RegistrationPolicy
    ) throws(RegistrationError)
        -> JWSAlgorithm?
    {
        guard let name else { return nil }
        guard let algorithm = JWSAlgorithm(rawValue: name), policy.allowedAlgorithms.contains(algorithm) else {
            throw RegistrationError(
                .invalidClientMetadata,
                "\(claim) '\(name)' is not allowed "
                    + "(allowed: \(policy.allowedAlgorithms.sorted().map(\.name).joined(separator: ", ")))",
                claim: claim
            )
        }
        return algorithm
    }

    private static func tokens(_ value: String) -> Set<Substring> {
        Set(value.split(separator: " "))
    }
}
