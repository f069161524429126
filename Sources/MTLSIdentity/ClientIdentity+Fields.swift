import SwiftASN1
import X509

extension ClientIdentity {
    struct AlternativeNames {
        var dns: [String] = []
        var uris: [String] = []
        var emails: [String] = []
        var ips: [String] = []
    }

    struct OpenBankingFields {
        var orgID: String?
        var softwareID: String?
        var organizationIdentifier: String?
    }

    private static let organizationIdentifierOID: ASN1ObjectIdentifier = [2, 5, 4, 97]

    /// `openssl x509 -serial`: the INTEGER's magnitude without a `00` sign octet, upper case, two
    /// digits per byte. swift-certificates keeps serials as unsigned magnitudes, so a (non-conforming,
    /// RFC 5280 §4.1.2.2) negative serial prints as its unsigned reading.
    static func opensslSerialHex(_ bytes: ArraySlice<UInt8>) -> String {
        var magnitude = bytes
        while magnitude.count > 1, magnitude.first == 0 {
            magnitude = magnitude.dropFirst()
        }
        guard !magnitude.isEmpty else { return "00" }
        return HexEncoding.encode(magnitude, uppercase: true)
    }

    static func subjectAlternativeNames(of certificate: Certificate) -> AlternativeNames {
        var names = AlternativeNames()
        guard let san = try? certificate.extensions.subjectAlternativeNames else { return names }
        for name in san {
            switch name {
            case .dnsName(let value): names.dns.append(value)
            case .uniformResourceIdentifier(let value): names.uris.append(value)
            case .rfc822Name(let value): names.emails.append(value)
            case .ipAddress(let octets):
                if let text = Self.ipAddressText(Array(octets.bytes)) {
                    names.ips.append(text)
                }
            default: continue
            }
        }
        return names
    }

    /// Open Banking fields (open-banking.md §1): an OBWAC/OBSeal/eIDAS subject carries
    /// organizationIdentifier and its CN is the org id; a legacy subject is
    /// `CN=<software_id>,OU=<org_id>,…`. The most specific attribute of a type wins.
    static func openBankingFields(of subject: DistinguishedName) -> OpenBankingFields {
        let parsed = ParsedDistinguishedName(subject)
        func first(_ type: ASN1ObjectIdentifier) -> String? {
            for rdn in parsed.rdns {
                for attribute in rdn where attribute.type == type && !attribute.isBinary {
                    return attribute.value
                }
            }
            return nil
        }
        var fields = OpenBankingFields()
        let commonName = first(.RDNAttributeType.commonName)
        if let organizationIdentifier = first(Self.organizationIdentifierOID) {
            fields.organizationIdentifier = organizationIdentifier
            fields.orgID = commonName
        } else {
            fields.orgID = first(.RDNAttributeType.organizationalUnitName)
            fields.softwareID = commonName
        }
        return fields
    }

    /// Dotted-quad IPv4 or RFC 5952 IPv6 (lower case, longest run of ≥2 zero groups as `::`).
    static func ipAddressText(_ octets: [UInt8]) -> String? {
        if octets.count == 4 {
            return octets.map { String($0) }.joined(separator: ".")
        }
        guard octets.count == 16 else { return nil }
        let groups = (0..<8).map { UInt16(octets[$0 * 2]) << 8 | UInt16(octets[$0 * 2 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8, groups[index] == 0 {
                index += 1
            }
            if index - start > bestLength {
                bestStart = start
                bestLength = index - start
            }
        }
        if bestLength < 2 {
            bestStart = -1
        }
        var text = ""
        var position = 0
        while position < 8 {
            if position == bestStart {
                text += "::"
                position += bestLength
                continue
            }
            if !text.isEmpty, !text.hasSuffix(":") {
                text += ":"
            }
            text += String(groups[position], radix: 16)
            position += 1
        }
        return text
    }
}
