import Foundation

extension RegistrationValidator {
    /// Redirect URI rules (open-banking.md §5; RFC 6749 §3.1.2; FAPI 1.0 Advanced §5.2.2-20):
    /// at least one; each an absolute `https` URI with a host and no fragment, not a loopback
    /// host, and one of the SSA's `software_redirect_uris` (exact string comparison, RFC 6749
    /// §3.1.2.3 simple string match). Every failure is `invalid_redirect_uri`.
    ///
    /// Why against the SSA: the directory vouches for the software's redirect URIs; accepting
    /// others lets a stolen transport certificate register an attacker's URI (§8).
    static func checkRedirectURIs(_ uris: [String], ssa: SoftwareStatement) throws(RegistrationError) -> [String] {
        guard !uris.isEmpty else {
            throw RegistrationError(
                .invalidRedirectURI,
                "redirect_uris must contain at least one URI",
                claim: "redirect_uris"
            )
        }
        var registered: [String] = []
        for uri in uris {
            try Self.checkRedirectURI(uri)
            guard ssa.softwareRedirectURIs.contains(uri) else {
                throw RegistrationError(
                    .invalidRedirectURI,
                    "redirect_uris entry '\(uri)' is not one of the software_statement's software_redirect_uris",
                    claim: "redirect_uris"
                )
            }
            if !registered.contains(uri) {
                registered.append(uri)
            }
        }
        return registered
    }

    private static func checkRedirectURI(_ uri: String) throws(RegistrationError) {
        func refuse(_ rule: String) -> RegistrationError {
            RegistrationError(.invalidRedirectURI, "redirect_uris entry '\(uri)' \(rule)", claim: "redirect_uris")
        }
        guard let components = URLComponents(string: uri), let scheme = components.scheme else {
            throw refuse("is not an absolute URI")
        }
        guard scheme.lowercased() == "https" else {
            throw refuse("must use https")
        }
        guard let host = components.host, !host.isEmpty else {
            throw refuse("has no host")
        }
        guard components.fragment == nil else {
            throw refuse("must not contain a fragment (RFC 6749 §3.1.2)")
        }
        guard !LoopbackHost.isLoopback(host) else {
            throw refuse("must not point to localhost or a loopback address")
        }
    }
}
