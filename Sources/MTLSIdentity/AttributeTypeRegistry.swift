import SwiftASN1

/// Names of distinguished-name attribute types: how OpenSSL prints them, which RFC 4514 allows,
/// and every spelling the parser accepts.
///
/// Why a table: OpenSSL prints any attribute type it knows by its short name (`organizationIdentifier`,
/// `emailAddress`, `serialNumber`, …) and anything else as a dotted OID, so reproducing its output
/// needs its list (taken from `openssl list -objects`, OpenSSL 3.0). Parsing compares by OID, so every
/// alias used by OpenSSL, LDAP (RFC 4519), Java, .NET and Go maps to one.
enum AttributeTypeRegistry {
    struct Entry: Sendable {
        let oid: ASN1ObjectIdentifier
        /// OpenSSL's short name (`OBJ_nid2sn`), printed with `-nameopt RFC2253`.
        let opensslName: String
        /// Extra spellings accepted by the parser (case-insensitive), besides `opensslName`.
        let aliases: [String]
    }

    /// The nine short names RFC 4514 §3 allows in a strict rendering.
    static let rfc4514Names: [ASN1ObjectIdentifier: String] = [
        [2, 5, 4, 3]: "CN", [2, 5, 4, 7]: "L", [2, 5, 4, 8]: "ST", [2, 5, 4, 10]: "O",
        [2, 5, 4, 11]: "OU", [2, 5, 4, 6]: "C", [2, 5, 4, 9]: "STREET",
        [0, 9, 2342, 19_200_300, 100, 1, 25]: "DC", [0, 9, 2342, 19_200_300, 100, 1, 1]: "UID",
    ]

    static let entries: [Entry] = {
        var entries: [Entry] = [
            Entry(oid: [2, 5, 4, 3], opensslName: "CN", aliases: ["commonName"]),
            Entry(oid: [2, 5, 4, 4], opensslName: "SN", aliases: ["surname"]),
            Entry(oid: [2, 5, 4, 5], opensslName: "serialNumber", aliases: []),
            Entry(oid: [2, 5, 4, 6], opensslName: "C", aliases: ["countryName"]),
            Entry(oid: [2, 5, 4, 7], opensslName: "L", aliases: ["localityName"]),
            Entry(oid: [2, 5, 4, 8], opensslName: "ST", aliases: ["S", "stateOrProvinceName"]),
            Entry(oid: [2, 5, 4, 9], opensslName: "street", aliases: ["streetAddress"]),
            Entry(oid: [2, 5, 4, 10], opensslName: "O", aliases: ["organizationName"]),
            Entry(oid: [2, 5, 4, 11], opensslName: "OU", aliases: ["organizationalUnitName"]),
            Entry(oid: [2, 5, 4, 12], opensslName: "title", aliases: ["T"]),
            Entry(oid: [2, 5, 4, 42], opensslName: "GN", aliases: ["G", "givenName"]),
            Entry(oid: [2, 5, 4, 97], opensslName: "organizationIdentifier", aliases: []),
            Entry(oid: [2, 5, 4, 98], opensslName: "c3", aliases: ["countryCode3c"]),
            Entry(oid: [2, 5, 4, 99], opensslName: "n3", aliases: ["countryCode3n"]),
            Entry(oid: [1, 2, 840, 113_549, 1, 9, 1], opensslName: "emailAddress", aliases: ["E", "email"]),
            Entry(oid: [0, 9, 2342, 19_200_300, 100, 1, 1], opensslName: "UID", aliases: ["userId"]),
            Entry(oid: [0, 9, 2342, 19_200_300, 100, 1, 3], opensslName: "mail", aliases: ["rfc822Mailbox"]),
            Entry(oid: [0, 9, 2342, 19_200_300, 100, 1, 25], opensslName: "DC", aliases: ["domainComponent"]),
            Entry(oid: [0, 9, 2342, 19_200_300, 100, 1, 44], opensslName: "uid", aliases: ["uniqueIdentifier"]),
            Entry(oid: [1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 1], opensslName: "jurisdictionL", aliases: ["jurisdictionLocalityName"]),
            Entry(oid: [1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 2], opensslName: "jurisdictionST", aliases: ["jurisdictionStateOrProvinceName"]),
            Entry(oid: [1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3], opensslName: "jurisdictionC", aliases: ["jurisdictionCountryName"]),
        ]
        // Types OpenSSL prints under a single name (short name = long name).
        let x520: [(UInt, String)] = [
            (13, "description"), (14, "searchGuide"), (15, "businessCategory"), (16, "postalAddress"),
            (17, "postalCode"), (18, "postOfficeBox"), (19, "physicalDeliveryOfficeName"),
            (20, "telephoneNumber"), (21, "telexNumber"), (22, "teletexTerminalIdentifier"),
            (23, "facsimileTelephoneNumber"), (24, "x121Address"), (25, "internationaliSDNNumber"),
            (26, "registeredAddress"), (27, "destinationIndicator"), (28, "preferredDeliveryMethod"),
            (29, "presentationAddress"), (30, "supportedApplicationContext"), (31, "member"), (32, "owner"),
            (33, "roleOccupant"), (34, "seeAlso"), (35, "userPassword"), (36, "userCertificate"),
            (37, "cACertificate"), (38, "authorityRevocationList"), (39, "certificateRevocationList"),
            (40, "crossCertificatePair"), (41, "name"), (43, "initials"), (44, "generationQualifier"),
            (45, "x500UniqueIdentifier"), (46, "dnQualifier"), (47, "enhancedSearchGuide"),
            (48, "protocolInformation"), (49, "distinguishedName"), (50, "uniqueMember"),
            (51, "houseIdentifier"), (52, "supportedAlgorithms"), (53, "deltaRevocationList"),
            (54, "dmdName"), (65, "pseudonym"), (72, "role"), (100, "dnsName"),
        ]
        for (arc, name) in x520 {
            entries.append(Entry(oid: [2, 5, 4, arc], opensslName: name, aliases: []))
        }
        let pkcs9: [(UInt, String)] = [
            (2, "unstructuredName"), (7, "challengePassword"), (8, "unstructuredAddress"),
        ]
        for (arc, name) in pkcs9 {
            entries.append(Entry(oid: [1, 2, 840, 113_549, 1, 9, arc], opensslName: name, aliases: []))
        }
        let pilot: [(UInt, String)] = [
            (2, "textEncodedORAddress"), (4, "info"), (5, "favouriteDrink"), (6, "roomNumber"),
            (8, "userClass"), (9, "host"), (10, "manager"), (11, "documentIdentifier"), (12, "documentTitle"),
            (13, "documentVersion"), (14, "documentAuthor"), (15, "documentLocation"),
            (20, "homeTelephoneNumber"), (21, "secretary"), (22, "otherMailbox"), (37, "associatedDomain"),
            (38, "associatedName"), (39, "homePostalAddress"), (40, "personalTitle"),
            (41, "mobileTelephoneNumber"), (42, "pagerTelephoneNumber"), (43, "friendlyCountryName"),
            (45, "organizationalStatus"), (46, "janetMailbox"), (48, "buildingName"),
        ]
        for (arc, name) in pilot {
            entries.append(Entry(oid: [0, 9, 2342, 19_200_300, 100, 1, arc], opensslName: name, aliases: []))
        }
        return entries
    }()

    private static let byOID: [ASN1ObjectIdentifier: Entry] = {
        var map: [ASN1ObjectIdentifier: Entry] = [:]
        for entry in Self.entries {
            map[entry.oid] = entry
        }
        return map
    }()

    /// Lower-cased spelling → OID. RFC 4519 wins a clash: `uid` is userId, `SN` is surname.
    private static let byLowercasedName: [String: ASN1ObjectIdentifier] = {
        var map: [String: ASN1ObjectIdentifier] = [:]
        for entry in Self.entries.reversed() {
            map[entry.opensslName.lowercased()] = entry.oid
            for alias in entry.aliases {
                map[alias.lowercased()] = entry.oid
            }
        }
        map["uid"] = [0, 9, 2342, 19_200_300, 100, 1, 1]
        return map
    }()

    /// OpenSSL's name for `oid`, or `nil` when OpenSSL would print it dotted.
    static func opensslName(for oid: ASN1ObjectIdentifier) -> String? {
        Self.byOID[oid]?.opensslName
    }

    /// The RFC 4514 short name for `oid`, or `nil` when it must be rendered dotted.
    static func rfc4514Name(for oid: ASN1ObjectIdentifier) -> String? {
        Self.rfc4514Names[oid]
    }

    /// The OID for a keyword, compared case-insensitively.
    static func oid(forKeyword keyword: String) -> ASN1ObjectIdentifier? {
        Self.byLowercasedName[keyword.lowercased()]
    }
}
