import MTLSIdentity

extension RegistrationValidator {
    /// The presented transport certificate must belong to the SSA's software (open-banking.md §6).
    ///
    /// Accepted when any of these holds:
    /// 1. its RFC 8705 thumbprint is in the software JWKS as a `use: tls` key
    ///    (`softwareTLSThumbprints`) — how OBWAC/eIDAS certificates are tied to a software;
    /// 2. it is a legacy OB certificate (no organizationIdentifier) with `CN` = SSA `software_id`
    ///    and `OU` = SSA `org_id` (compared exactly: OB ids are case-sensitive Base62);
    /// 3. it is an OBWAC/eIDAS certificate whose `CN` (the org id) equals SSA `org_id` and
    ///    ``RegistrationPolicy/acceptOrganisationCertificates`` is on (the documented fallback
    ///    for eIDAS QWACs that are not published in the OB JWKS; off by default because it ties the
    ///    certificate to the organisation only, not to the software).
    ///
    /// Why: without this check any valid OB certificate, of any TPP, could register a client with
    /// someone else's SSA (§8). No certificate at all is `invalid_client_metadata`: registration
    /// is MTLS only (§4).
    static func checkTransportCertificate(
        _ presented: ClientIdentity?,
        ssa: SoftwareStatement,
        softwareTLSThumbprints: Set<String>?,
        policy: RegistrationPolicy
    ) throws(RegistrationError) -> ClientIdentity {
        guard let presented else {
            throw RegistrationError(
                .invalidClientMetadata,
                "no client certificate was presented: registration requires mutual TLS with the software's transport certificate"
            )
        }
        if let thumbprints = softwareTLSThumbprints, thumbprints.contains(presented.thumbprintS256) {
            return presented
        }
        if presented.organizationIdentifier == nil {
            guard presented.softwareID == ssa.softwareID else {
                throw RegistrationError(
                    .invalidClientMetadata,
                    "the transport certificate's CN '\(presented.softwareID ?? "")' is not the software_statement's "
                        + "software_id '\(ssa.softwareID)', and the certificate is not in the software JWKS with use 'tls'",
                    claim: "software_id"
                )
            }
            guard presented.orgID == ssa.organisationID else {
                throw RegistrationError(
                    .invalidClientMetadata,
                    "the transport certificate's OU '\(presented.orgID ?? "")' is not the software_statement's "
                        + "org_id '\(ssa.organisationID)', and the certificate is not in the software JWKS with use 'tls'",
                    claim: "org_id"
                )
            }
            return presented
        }
        if policy.acceptOrganisationCertificates, presented.orgID == ssa.organisationID {
            return presented
        }
        throw RegistrationError(
            .invalidClientMetadata,
            "the transport certificate (organizationIdentifier '\(presented.organizationIdentifier ?? "")') is not "
                + "published with use 'tls' in the software JWKS (software_jwks_endpoint) of software_id '\(ssa.softwareID)'",
            claim: "software_jwks_endpoint"
        )
    }
}
