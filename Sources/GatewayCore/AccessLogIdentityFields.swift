/// The client-identity fields of an access-log record, with their JSON members rendered once.
///
/// Why: every request on a connection logs the same six identity values (two DNs, serial,
/// thumbprint, org and software id), and escaping them for JSON was the largest part of writing
/// a log line. A ``ConnectionIdentity`` holds one of these per validated chain, so the escaping is
/// done once per chain and a record refers to it instead of carrying six strings.
public final class AccessLogIdentityFields: Sendable, Hashable {
    /// The validated leaf's subject, rendered with the configured DN format.
    public let subject: String?
    /// The validated leaf's issuer, rendered with the configured DN format.
    public let issuer: String?
    /// The validated leaf's serial number (hex).
    public let serial: String?
    /// The RFC 8705 `x5t#S256` thumbprint of the validated leaf.
    public let thumbprintS256: String?
    /// The Open Banking organisation id derived from the certificate.
    public let orgID: String?
    /// The Open Banking software id derived from the certificate.
    public let softwareID: String?
    /// `"client_subject":…,"client_issuer":…,"client_serial":…,"client_thumbprint_s256":…,
    /// "org_id":…,"software_id":…` — the members as the JSON format writes them, escaped.
    let jsonMembers: [UInt8]

    /// No client certificate: every field absent (`null` in JSON).
    public static let none = AccessLogIdentityFields()

    public init(
        subject: String? = nil,
        issuer: String? = nil,
        serial: String? = nil,
        thumbprintS256: String? = nil,
        orgID: String? = nil,
        softwareID: String? = nil
    ) {
        self.subject = subject
        self.issuer = issuer
        self.serial = serial
        self.thumbprintS256 = thumbprintS256
        self.orgID = orgID
        self.softwareID = softwareID
        var writer = JSONObjectWriter(membersOnly: 384)
        writer.string("client_subject", subject)
        writer.string("client_issuer", issuer)
        writer.string("client_serial", serial)
        writer.string("client_thumbprint_s256", thumbprintS256)
        writer.string("org_id", orgID)
        writer.string("software_id", softwareID)
        self.jsonMembers = writer.finishMembers()
    }

    public static func == (lhs: AccessLogIdentityFields, rhs: AccessLogIdentityFields) -> Bool {
        lhs.subject == rhs.subject && lhs.issuer == rhs.issuer && lhs.serial == rhs.serial
            && lhs.thumbprintS256 == rhs.thumbprintS256 && lhs.orgID == rhs.orgID && lhs.softwareID == rhs.softwareID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.subject)
        hasher.combine(self.issuer)
        hasher.combine(self.serial)
        hasher.combine(self.thumbprintS256)
        hasher.combine(self.orgID)
        hasher.combine(self.softwareID)
    }
}
