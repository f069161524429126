import MTLSIdentity

extension RegistrationValidator {
    /// The outcome of the client authentication rules.
    struct ClientAuthentication {
        let method: TokenEndpointAuthMethod
        let subjectDN: String?
        let signingAlgorithm: JWSAlgorithm?
    }

    /// Client authentication rules (open-banking.md §5, RFC 8705 §2.1.2):
    /// `token_endpoint_auth_method` is one the server supports; `tls_client_auth` requires
    /// `tls_client_auth_subject_dn`, which must name the presented certificate's subject;
    /// `private_key_jwt` and `client_secret_jwt` require `token_endpoint_auth_signing_alg`
    /// from the allowed algorithms (which is also checked when sent with other methods).
    ///
    /// Why compare by RDN (RFC 4517 distinguishedNameMatch via ``ParsedDistinguishedName``):
    /// TPPs write the same subject as OpenSSL (`organizationIdentifier=`), RFC 4514
    /// (`2.5.4.97=`), slash form or reversed order (§2). A string comparison would reject them, or
    /// accept a different name that renders alike. The DN is kept exactly as sent; a DN sent with
    /// another method is ignored (RFC 8705 defines it for `tls_client_auth` only).
    static func checkClientAuthentication(
        _ request: RegistrationRequest,
        presented: ClientIdentity,
        policy: RegistrationPolicy
    ) throws(RegistrationError) -> ClientAuthentication {
        guard let method = TokenEndpointAuthMethod(rawValue: request.tokenEndpointAuthMethod),
            policy.tokenEndpointAuthMethods.contains(method)
        else {
            let supported = policy.tokenEndpointAuthMethods.sorted().map(\.rawValue).joined(separator: ", ")
            throw RegistrationError(
                .invalidClientMetadata,
                "token_endpoint_auth_method '\(request.tokenEndpointAuthMethod)' is not supported (supported: \(supported))",
                claim: "token_endpoint_auth_method"
            )
        }
        var signingAlgorithm: JWSAlgorithm?
        if let name = request.tokenEndpointAuthSigningAlgorithm {
            signingAlgorithm = try Self.checkAlgorithm(name, claim: "token_endpoint_auth_signing_alg", policy: policy)
        } else if method.requiresSigningAlgorithm {
            throw RegistrationError(
                .invalidClientMetadata,
                "token_endpoint_auth_signing_alg is required when token_endpoint_auth_method is \(method.rawValue)",
                claim: "token_endpoint_auth_signing_alg"
            )
        }
        guard method == .tlsClientAuth else {
            return ClientAuthentication(method: method, subjectDN: nil, signingAlgorithm: signingAlgorithm)
        }
        let subjectDN = try Self.checkSubjectDN(request.tlsClientAuthSubjectDN, presented: presented)
        return ClientAuthentication(method: method, subjectDN: subjectDN, signingAlgorithm: signingAlgorithm)
    }

    private static func checkSubjectDN(
        _ subjectDN: String?,
        presented: ClientIdentity
    ) throws(RegistrationError) -> String {
        let claim = "tls_client_auth_subject_dn"
        guard let subjectDN, !subjectDN.allSatisfy(\.isWhitespace) else {
            throw RegistrationError(
                .invalidClientMetadata,
                "tls_client_auth_subject_dn is required when token_endpoint_auth_method is tls_client_auth (RFC 8705 §2.1.2)",
                claim: claim
            )
        }
        let parsed: ParsedDistinguishedName
        do {
            parsed = try ParsedDistinguishedName(parsing: subjectDN)
        } catch {
            let reason = (error as? DistinguishedNameParseError)?.description ?? "unparseable"
            throw RegistrationError(
                .invalidClientMetadata,
                "tls_client_auth_subject_dn is not a distinguished name: \(reason)",
                claim: claim
            )
        }
        guard ParsedDistinguishedName(presented.subject).matches(parsed) else {
            throw RegistrationError(
                .invalidClientMetadata,
                "tls_client_auth_subject_dn '\(subjectDN)' does not match the presented certificate's subject "
                    + "'\(presented.subjectDN(.rfc4514))' (compared attribute by attribute, RFC 4517)",
                claim: claim
            )
        }
        return subjectDN
    }
}
