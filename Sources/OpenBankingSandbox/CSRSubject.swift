import SwiftASN1
import X509

/// The subject of an Open Banking certificate request: the ids that go into the DN, in one of the
/// two shapes the directory accepts.
///
/// Why strict parsing: the directory derives who a certificate belongs to (org id, software id)
/// from these attributes, and the authorization server later compares them with the SSA
/// (open-banking.md §6). A CSR with extra, missing, multi-valued or reordered attributes would
/// produce a certificate that looks right to a human and fails at the bank, so it is refused with
/// the rule it breaks.
public struct CSRSubject: Sendable, Hashable {
    /// The DN shape.
    public let shape: SubjectShape
    /// The organisation id: OU of a legacy DN, CN of an OBWAC/OBSeal DN.
    public let orgID: String
    /// The software statement id: CN of a legacy DN; `nil` for OBWAC/OBSeal, whose DN names only
    /// the organisation.
    public let softwareID: String?
    /// The organizationIdentifier (2.5.4.97) of an OBWAC/OBSeal DN, e.g. `PSDGB-FCA-123456`.
    public let organizationIdentifier: String?
    /// The legal name (O) of an OBWAC/OBSeal DN.
    public let legalName: String?

    /// A legacy subject: `CN=<softwareID>,OU=<orgID>,O=OpenBanking,C=GB`.
    public static func legacy(orgID: String, softwareID: String) -> CSRSubject {
        CSRSubject(shape: .legacy, orgID: orgID, softwareID: softwareID, organizationIdentifier: nil, legalName: nil)
    }

    /// An OBWAC/OBSeal subject: `CN=<orgID>,organizationIdentifier=<id>,O=<legalName>,C=GB`.
    public static func obwac(orgID: String, organizationIdentifier: String, legalName: String) -> CSRSubject {
        CSRSubject(
            shape: .obwac,
            orgID: orgID,
            softwareID: nil,
            organizationIdentifier: organizationIdentifier,
            legalName: legalName
        )
    }

    private init(
        shape: SubjectShape,
        orgID: String,
        softwareID: String?,
        organizationIdentifier: String?,
        legalName: String?
    ) {
        self.shape = shape
        self.orgID = orgID
        self.softwareID = softwareID
        self.organizationIdentifier = organizationIdentifier
        self.legalName = legalName
    }

    /// The DN in DER order C, O, OU/organizationIdentifier, CN (``OpenBankingSubject``).
    ///
    /// - Throws: ``CSRError/invalidSubject(_:)`` when a value is empty or has control characters.
    public func distinguishedName() throws -> DistinguishedName {
        for (name, value) in [
            ("org id", self.orgID), ("software id", self.softwareID), ("organizationIdentifier", self.organizationIdentifier),
            ("legal name", self.legalName),
        ] {
            guard let value else { continue }
            try Self.checkValue(value, name: name)
        }
        switch self.shape {
        case .legacy:
            return try OpenBankingSubject.legacy(orgID: self.orgID, softwareID: self.softwareID ?? "")
        case .obwac:
            return try OpenBankingSubject.obwac(
                legalName: self.legalName ?? "",
                organizationIdentifier: self.organizationIdentifier ?? "",
                orgID: self.orgID
            )
        }
    }

    /// Reads a DN that must have exactly one of the two OB shapes: four single-valued RDNs in DER
    /// order `C=GB, O=OpenBanking, OU, CN` (legacy) or `C=GB, O, 2.5.4.97, CN` (OBWAC/OBSeal).
    ///
    /// - Throws: ``CSRError/invalidSubject(_:)`` naming the first rule broken.
    public init(parsing name: DistinguishedName) throws {
        var attributes: [(type: ASN1ObjectIdentifier, value: String)] = []
        for rdn in name {
            guard rdn.count == 1, let attribute = rdn.first else {
                throw CSRError.invalidSubject("every RDN must hold exactly one attribute (no multi-valued RDNs)")
            }
            guard let text = String(attribute.value), !text.isEmpty else {
                throw CSRError.invalidSubject("attribute \(attribute.type) must be a non-empty string")
            }
            attributes.append((attribute.type, text))
        }
        let types = attributes.map(\.type)
        let legacyTypes: [ASN1ObjectIdentifier] = [
            .RDNAttributeType.countryName, .RDNAttributeType.organizationName,
            .RDNAttributeType.organizationalUnitName, .RDNAttributeType.commonName,
        ]
        let obwacTypes: [ASN1ObjectIdentifier] = [
            .RDNAttributeType.countryName, .RDNAttributeType.organizationName,
            OpenBankingSubject.organizationIdentifierOID, .RDNAttributeType.commonName,
        ]
        guard types == legacyTypes || types == obwacTypes else {
            throw CSRError.invalidSubject(
                "the subject must be CN=<software_id>,OU=<org_id>,O=OpenBanking,C=GB (legacy) or "
                    + "CN=<org_id>,organizationIdentifier=<id>,O=<legal name>,C=GB (OBWAC), not \(name)"
            )
        }
        guard attributes[0].value == "GB" else {
            throw CSRError.invalidSubject("C must be GB, not \(attributes[0].value)")
        }
        for attribute in attributes {
            try Self.checkValue(attribute.value, name: "\(attribute.type)")
        }
        if types == legacyTypes {
            guard attributes[1].value == "OpenBanking" else {
                throw CSRError.invalidSubject("O of a legacy subject must be OpenBanking, not \(attributes[1].value)")
            }
            self = .legacy(orgID: attributes[2].value, softwareID: attributes[3].value)
        } else {
            self = .obwac(
                orgID: attributes[3].value,
                organizationIdentifier: attributes[2].value,
                legalName: attributes[1].value
            )
        }
    }

    private static func checkValue(_ value: String, name: String) throws {
        guard !value.isEmpty else {
            throw CSRError.invalidSubject("\(name) must not be empty")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CSRError.invalidSubject("\(name) must not contain control characters")
        }
    }
}
