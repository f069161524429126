import Foundation

/// The claims of an Open Banking software statement assertion (open-banking.md §6), read
/// liberally and kept in full.
///
/// Parsing checks types and presence only; signature, age and status are checked elsewhere
/// (``JWSVerifier``, ``RegistrationValidator``). Every failure is `invalid_software_statement`
/// naming the claim.
///
/// Required: `iss`, `iat`, `software_id`, `org_id`, `org_status` and `software_jwks_endpoint`
/// (an https URL: the request JWT is verified with keys from it, so an SSA without one is refused
/// with a 400, never a crash, open-banking.md §8).
public struct SoftwareStatement: Sendable, Hashable {
    /// `iss`: the directory, `OpenBanking Ltd` for OB.
    public let issuer: String
    /// `iat`.
    public let issuedAt: Date
    /// `jti`.
    public let jwtID: String?
    /// `software_id`.
    public let softwareID: String
    /// `software_client_id`.
    public let softwareClientID: String?
    /// `software_client_name`.
    public let softwareClientName: String?
    /// `software_client_description`.
    public let softwareClientDescription: String?
    /// `software_version`, as text (published as a string or a number).
    public let softwareVersion: String?
    /// `software_client_uri`.
    public let softwareClientURI: String?
    /// `software_redirect_uris` (empty when absent).
    public let softwareRedirectURIs: [String]
    /// `software_roles` as published (`AISP`, `PISP`, `CBPII`, …; empty when absent).
    public let softwareRoles: [String]
    /// `software_environment`.
    public let softwareEnvironment: String?
    /// `software_mode` as published (`Test`/`Live`, any case).
    public let softwareMode: String?
    /// `software_jwks_endpoint`: where the TPP's signing and transport keys are published.
    public let softwareJWKSEndpoint: String
    /// `software_jwks_revoked_endpoint`.
    public let softwareJWKSRevokedEndpoint: String?
    /// `software_logo_uri`.
    public let softwareLogoURI: String?
    /// `software_policy_uri`.
    public let softwarePolicyURI: String?
    /// `software_tos_uri`.
    public let softwareTermsOfServiceURI: String?
    /// `software_on_behalf_of_org`.
    public let softwareOnBehalfOfOrg: String?
    /// `organisation_competent_authority_claims`, as published.
    public let organisationCompetentAuthorityClaims: JSONValue?
    /// `org_status`.
    public let organisationStatus: OrganisationStatus
    /// `org_id`.
    public let organisationID: String
    /// `org_name`.
    public let organisationName: String?
    /// `org_contacts`, as published.
    public let organisationContacts: JSONValue?
    /// `org_jwks_endpoint`.
    public let organisationJWKSEndpoint: String?
    /// `org_jwks_revoked_endpoint`.
    public let organisationJWKSRevokedEndpoint: String?
    /// Every claim as published, known or not (stored, and flattened into the response).
    public let claims: [String: JSONValue]

    /// Reads the claims of a verified (or deliberately unsigned) SSA.
    ///
    /// - Throws: ``RegistrationError`` with code `invalid_software_statement`.
    public init(jws: CompactJWS) throws(RegistrationError) {
        let claims: [String: JSONValue]
        do {
            claims = try jws.claims()
        } catch {
            throw RegistrationError.softwareStatementJWS(error)
        }
        try self.init(claims: claims)
    }

    /// Reads an SSA claims set.
    ///
    /// - Throws: ``RegistrationError`` with code `invalid_software_statement`.
    public init(claims: [String: JSONValue]) throws(RegistrationError) {
        let reader = ClaimReader(claims: claims)
        do {
            self.issuer = try reader.requiredString("iss")
            self.issuedAt = try reader.requiredNumericDate("iat")
            self.jwtID = try reader.string("jti")
            self.softwareID = try reader.requiredString("software_id")
            self.softwareClientID = try reader.string("software_client_id")
            self.softwareClientName = try reader.string("software_client_name")
            self.softwareClientDescription = try reader.string("software_client_description")
            self.softwareVersion = try reader.stringOrNumber("software_version")
            self.softwareClientURI = try reader.string("software_client_uri")
            self.softwareRedirectURIs = try reader.stringArray("software_redirect_uris") ?? []
            self.softwareRoles = try reader.stringArray("software_roles", acceptingSingleString: true) ?? []
            self.softwareEnvironment = try reader.string("software_environment")
            self.softwareMode = try reader.string("software_mode")
            self.softwareJWKSEndpoint = try Self.httpsURL(
                reader.requiredString("software_jwks_endpoint"),
                "software_jwks_endpoint"
            )
            self.softwareJWKSRevokedEndpoint = try reader.string("software_jwks_revoked_endpoint")
            self.softwareLogoURI = try reader.string("software_logo_uri")
            self.softwarePolicyURI = try reader.string("software_policy_uri")
            self.softwareTermsOfServiceURI = try reader.string("software_tos_uri")
            self.softwareOnBehalfOfOrg = try reader.string("software_on_behalf_of_org")
            self.organisationCompetentAuthorityClaims = reader.raw("organisation_competent_authority_claims")
            self.organisationStatus = OrganisationStatus(try reader.requiredString("org_status"))
            self.organisationID = try reader.requiredString("org_id")
            self.organisationName = try reader.string("org_name")
            self.organisationContacts = reader.raw("org_contacts")
            self.organisationJWKSEndpoint = try reader.string("org_jwks_endpoint")
            self.organisationJWKSRevokedEndpoint = try reader.string("org_jwks_revoked_endpoint")
        } catch {
            throw RegistrationError(
                .invalidSoftwareStatement,
                "software_statement: \(error.message)",
                claim: error.claim
            )
        }
        self.claims = claims
    }

    /// Whether `software_mode` is `Live` (any case).
    public var isLive: Bool {
        self.softwareMode?.lowercased() == "live"
    }

    /// The roles upper-cased, for matching against policy role names.
    public var normalisedRoles: [String] {
        self.softwareRoles.map { $0.uppercased() }
    }

    private static func httpsURL(_ value: String, _ name: String) throws(ClaimReader.Problem) -> String {
        guard let components = URLComponents(string: value), components.scheme?.lowercased() == "https",
            let host = components.host, !host.isEmpty
        else {
            throw ClaimReader.Problem(claim: name, message: "claim '\(name)' must be an https URL")
        }
        return value
    }
}
