/// One software statement known to the sandbox directory: its ids and the certificates published
/// in its JWKS (`/{org_id}/{software_id}.jwks`).
public struct SoftwareRecord: Sendable, Hashable {
    /// The organisation id (18 characters in real OB).
    public let orgID: String
    /// The software statement id (Base62, 22 characters in real OB).
    public let softwareID: String
    /// The published certificates, in publication order.
    public var certificates: [PublishedCertificate]

    /// A record.
    public init(orgID: String, softwareID: String, certificates: [PublishedCertificate] = []) {
        self.orgID = orgID
        self.softwareID = softwareID
        self.certificates = certificates
    }

    /// Whether `id` may be used as an org or software id: 1–64 characters from `A–Z a–z 0–9 . _ -`,
    /// not starting with `.`.
    ///
    /// Why so strict: ids become URL path segments and directory names on disk, so anything that
    /// could traverse (`..`, `/`) or need escaping is refused. Real OB ids are Base62.
    public static func isValidID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 64, !id.hasPrefix(".") else {
            return false
        }
        return id.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "." || scalar == "_" || scalar == "-")
        }
    }
}
