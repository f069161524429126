import SwiftASN1
import X509

/// Subject distinguished names shaped like the real Open Banking ones (open-banking.md §1-2).
///
/// Why the attribute order matters: X.509 stores RDNs most-significant first (C, O, OU, CN), and
/// RFC 4514 renders them in reverse (`CN=…,OU=…,O=OpenBanking,C=GB`). Banks compare either form, so
/// the sandbox must produce exactly the DER order the OB CAs produce.
public enum OpenBankingSubject {
    /// The organizationIdentifier attribute type (X.520, OID 2.5.4.97) used by OBWAC/OBSeal and
    /// eIDAS certificates; swift-certificates has no name for it.
    public static let organizationIdentifierOID: ASN1ObjectIdentifier = [2, 5, 4, 97]

    /// `CN=<softwareID>,OU=<orgID>,O=OpenBanking,C=GB`, DER order C, O, OU, CN: the legacy OB
    /// transport and signing certificate subject.
    public static func legacy(orgID: String, softwareID: String) throws -> DistinguishedName {
        DistinguishedName([
            try Self.country("GB"),
            Self.utf8(.RDNAttributeType.organizationName, "OpenBanking"),
            Self.utf8(.RDNAttributeType.organizationalUnitName, orgID),
            Self.utf8(.RDNAttributeType.commonName, softwareID),
        ])
    }

    /// `CN=<orgID>,organizationIdentifier=<organizationIdentifier>,O=<legalName>,C=GB`, DER order
    /// C, O, 2.5.4.97, CN: the OBWAC/OBSeal subject. The organizationIdentifier is a UTF8String, as
    /// in the certificates OB issues (Java renders it `2.5.4.97=#0c…`).
    public static func obwac(legalName: String, organizationIdentifier: String, orgID: String) throws
        -> DistinguishedName
    {
        DistinguishedName([
            try Self.country("GB"),
            Self.utf8(.RDNAttributeType.organizationName, legalName),
            Self.utf8(Self.organizationIdentifierOID, organizationIdentifier),
            Self.utf8(.RDNAttributeType.commonName, orgID),
        ])
    }

    /// `CN=<commonName>,O=<organization>,C=GB`, the shape of the OB CA and sandbox server subjects.
    public static func simple(commonName: String, organization: String) throws -> DistinguishedName {
        DistinguishedName([
            try Self.country("GB"),
            Self.utf8(.RDNAttributeType.organizationName, organization),
            Self.utf8(.RDNAttributeType.commonName, commonName),
        ])
    }

    private static func country(_ code: String) throws -> RelativeDistinguishedName {
        RelativeDistinguishedName(try .init(type: .RDNAttributeType.countryName, printableString: code))
    }

    private static func utf8(_ type: ASN1ObjectIdentifier, _ value: String) -> RelativeDistinguishedName {
        RelativeDistinguishedName(.init(type: type, utf8String: value))
    }
}
