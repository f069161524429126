import Foundation
import RegistrationCore

/// What a software statement assertion (SSA) is issued for: every claim of open-banking.md §6,
/// with realistic sandbox defaults for everything but the ids, redirect URIs, roles and the JWKS
/// host.
///
/// Why every claim: banks' validators differ in which claims they require (`software_client_name`,
/// `org_contacts`, `organisation_competent_authority_claims`, …). An SSA that fills them all, in
/// the types the real directory uses, exercises the authorization server as the real one would.
public struct SoftwareStatementRequest: Sendable, Hashable {
    /// The roles Open Banking grants in `software_roles`.
    public static let knownRoles: Set<String> = ["AISP", "PISP", "CBPII"]

    /// `org_id`.
    public var orgID: String
    /// `software_id`, also `software_client_id` (as in real OB SSAs).
    public var softwareID: String
    /// `software_redirect_uris`.
    public var redirectURIs: [String]
    /// `software_roles` (`AISP`, `PISP`, `CBPII`).
    public var roles: [String]
    /// The keystore base URL: `software_jwks_endpoint` is `<base>/<org_id>/<software_id>.jwks`.
    public var jwksBaseURL: String
    /// `org_name`.
    public var orgName: String = "MTLSGateway Sandbox TPP Ltd"
    /// `software_client_name`.
    public var clientName: String = "MTLSGateway Sandbox TPP"
    /// `software_client_description`.
    public var clientDescription: String = "A test third-party provider registered through the MTLSGateway sandbox"
    /// `software_version` (published as a string here; the real directory also uses numbers).
    public var softwareVersion: String = "1.0"
    /// `software_client_uri`; the logo, policy and terms URIs are derived from it.
    public var clientURI: String = "https://tpp.example.com"
    /// `software_environment`.
    public var environment: String = "sandbox"
    /// `software_mode`: `Test` or `Live`.
    public var mode: String = "Test"
    /// `org_status`: `Active`, `Revoked` or `Withdrawn` (the others let tests see
    /// `unapproved_software_statement`).
    public var orgStatus: String = "Active"
    /// `software_on_behalf_of_org` (`null` when nil, as the real directory writes it).
    public var onBehalfOfOrg: String?
    /// The competent authority's `registration_id` (the FCA reference number).
    public var competentAuthorityRegistrationID: String = "123456"

    /// A request with sandbox defaults for the descriptive claims.
    public init(orgID: String, softwareID: String, redirectURIs: [String], roles: [String], jwksBaseURL: String) {
        self.orgID = orgID
        self.softwareID = softwareID
        self.redirectURIs = redirectURIs
        self.roles = roles
        self.jwksBaseURL = jwksBaseURL
    }

    /// `<jwksBaseURL>/<org_id>/<software_id>.jwks`, the real keystore's layout.
    public var softwareJWKSEndpoint: String {
        "\(self.base)/\(self.orgID)/\(self.softwareID).jwks"
    }

    private var base: String {
        var base = self.jwksBaseURL
        while base.hasSuffix("/") {
            base.removeLast()
        }
        return base
    }

    /// Checks the ids, redirect URIs (absolute URLs), roles, JWKS base (https), mode and status.
    ///
    /// - Throws: ``SandboxDirectoryError``.
    public func validate() throws {
        for (name, value) in [("org id", self.orgID), ("software id", self.softwareID)] {
            guard SoftwareRecord.isValidID(value) else {
                throw SandboxDirectoryError.invalidID(name: name, value: value)
            }
        }
        guard !self.redirectURIs.isEmpty else {
            throw SandboxDirectoryError.invalidSoftwareStatementRequest("at least one redirect URI is required")
        }
        for uri in self.redirectURIs {
            guard let components = URLComponents(string: uri), components.scheme != nil, components.host != nil else {
                throw SandboxDirectoryError.invalidSoftwareStatementRequest("redirect URI '\(uri)' is not an absolute URL")
            }
        }
        guard !self.roles.isEmpty else {
            throw SandboxDirectoryError.invalidSoftwareStatementRequest("at least one role (AISP, PISP, CBPII) is required")
        }
        for role in self.roles where !Self.knownRoles.contains(role) {
            throw SandboxDirectoryError.invalidSoftwareStatementRequest("role '\(role)' is not one of AISP, PISP, CBPII")
        }
        guard let base = URLComponents(string: self.base), base.scheme == "https", base.host?.isEmpty == false else {
            throw SandboxDirectoryError.invalidSoftwareStatementRequest(
                "the JWKS base URL '\(self.jwksBaseURL)' must be an https URL such as https://localhost:8444"
            )
        }
        guard ["test", "live"].contains(self.mode.lowercased()) else {
            throw SandboxDirectoryError.invalidSoftwareStatementRequest("software mode must be Test or Live")
        }
    }

    /// The SSA claims set, every claim of open-banking.md §6.
    ///
    /// - Parameters:
    ///   - issuer: `iss` (`OpenBanking Ltd`).
    ///   - issuedAt: `iat`, in whole seconds (never milliseconds, §8).
    ///   - jwtID: `jti`.
    public func claims(issuer: String, issuedAt: Date, jwtID: String) -> [String: JSONValue] {
        let base = self.base
        let roles = JSONValue.array(self.roles.map { .string($0) })
        let client = self.clientURI.hasSuffix("/") ? String(self.clientURI.dropLast()) : self.clientURI
        let domain = URLComponents(string: client)?.host ?? "tpp.example.com"
        return [
            "iss": .string(issuer),
            "iat": .integer(Int64(issuedAt.timeIntervalSince1970.rounded(.down))),
            "jti": .string(jwtID),
            "software_environment": .string(self.environment),
            "software_mode": .string(self.mode),
            "software_id": .string(self.softwareID),
            "software_client_id": .string(self.softwareID),
            "software_client_name": .string(self.clientName),
            "software_client_description": .string(self.clientDescription),
            "software_version": .string(self.softwareVersion),
            "software_client_uri": .string(client),
            "software_redirect_uris": .array(self.redirectURIs.map { .string($0) }),
            "software_roles": roles,
            "organisation_competent_authority_claims": [
                "authority_id": "FCAGBR",
                "registration_id": .string(self.competentAuthorityRegistrationID),
                "status": "Active",
                "authorisations": [["member_state": "GB", "roles": roles]],
            ],
            "software_logo_uri": .string("\(client)/logo.png"),
            "org_status": .string(self.orgStatus),
            "org_id": .string(self.orgID),
            "org_name": .string(self.orgName),
            "org_contacts": [
                [
                    "name": "Business contact", "email": .string("business@\(domain)"), "phone": "+447700900001",
                    "type": "Business",
                ],
                [
                    "name": "Technical contact", "email": .string("technical@\(domain)"), "phone": "+447700900002",
                    "type": "Technical",
                ],
            ],
            "org_jwks_endpoint": .string("\(base)/\(self.orgID)/\(self.orgID).jwks"),
            "org_jwks_revoked_endpoint": .string("\(base)/\(self.orgID)/revoked/\(self.orgID).jwks"),
            "software_jwks_endpoint": .string(self.softwareJWKSEndpoint),
            "software_jwks_revoked_endpoint": .string("\(base)/\(self.orgID)/revoked/\(self.softwareID).jwks"),
            "software_policy_uri": .string("\(client)/policy"),
            "software_tos_uri": .string("\(client)/terms"),
            "software_on_behalf_of_org": self.onBehalfOfOrg.map { .string($0) } ?? .null,
        ]
    }
}
