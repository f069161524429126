import SwiftASN1

extension ParsedDistinguishedName {
    /// RFC 4517 §4.2.15 `distinguishedNameMatch`: same number of RDNs, and each RDN has the same
    /// attributes (as a set, RDNs being unordered) with equal types (by OID) and equal values.
    ///
    /// Values are compared as RFC 4517 `caseIgnoreMatch` with the basics of RFC 4518 string
    /// preparation: case folded, leading and trailing spaces removed, inner runs of whitespace
    /// collapsed to one space, and canonically equivalent Unicode equal. Binary (`#hex`) values are
    /// compared byte for byte and never equal a text value.
    ///
    /// Reversed RDN order is also accepted (some tools print `C=GB,O=…,CN=…`), but only when it is
    /// unambiguous: every RDN of both names has a distinct set of attribute types, so the order
    /// carries no information the types do not. `OU=a,OU=b` therefore never matches `OU=b,OU=a`.
    ///
    /// Why not string comparison: see the type's documentation; this is the check that decides
    /// whether a `tls_client_auth_subject_dn` names the presented certificate (RFC 8705 §2.1.2).
    public func matches(_ other: ParsedDistinguishedName) -> Bool {
        guard self.rdns.count == other.rdns.count else { return false }
        let lhs = self.normalisedRDNs()
        let rhs = other.normalisedRDNs()
        if Self.sequencesMatch(lhs, rhs[...]) {
            return true
        }
        guard lhs.count > 1, Self.hasDistinctTypeSets(lhs), Self.hasDistinctTypeSets(rhs) else {
            return false
        }
        return Self.sequencesMatch(lhs, rhs.reversed()[...])
    }

    private struct NormalisedAttribute: Equatable {
        let type: ASN1ObjectIdentifier
        let value: String
        let isBinary: Bool
    }

    private func normalisedRDNs() -> [[NormalisedAttribute]] {
        self.rdns.map { rdn in
            rdn.map { attribute in
                NormalisedAttribute(
                    type: attribute.type,
                    value: attribute.isBinary ? attribute.value : Self.prepare(attribute.value),
                    isBinary: attribute.isBinary
                )
            }
        }
    }

    /// RFC 4518 basics for `caseIgnoreMatch`: fold case, drop leading/trailing whitespace and
    /// collapse inner whitespace runs (§2.6.1 insignificant space handling).
    static func prepare(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for character in value.lowercased() {
            if character.isWhitespace {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            output.append(character)
        }
        return output
    }

    private static func sequencesMatch(
        _ lhs: [[NormalisedAttribute]],
        _ rhs: ArraySlice<[NormalisedAttribute]>
    ) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (left, right) in zip(lhs, rhs) where !Self.rdnsMatch(left, right) {
            return false
        }
        return true
    }

    /// Set equality of two RDNs' attributes (each attribute used once).
    private static func rdnsMatch(_ lhs: [NormalisedAttribute], _ rhs: [NormalisedAttribute]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var unused = rhs
        for attribute in lhs {
            guard let index = unused.firstIndex(of: attribute) else { return false }
            unused.remove(at: index)
        }
        return true
    }

    private static func hasDistinctTypeSets(_ rdns: [[NormalisedAttribute]]) -> Bool {
        var seen: Set<[String]> = []
        for rdn in rdns {
            let types = rdn.map { $0.type.description }.sorted()
            guard seen.insert(types).inserted else { return false }
        }
        return true
    }
}
