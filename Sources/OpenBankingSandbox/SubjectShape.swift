/// The two Open Banking subject DN shapes (open-banking.md §1).
public enum SubjectShape: String, Sendable, Hashable, CaseIterable {
    /// `CN=<software_id>,OU=<org_id>,O=OpenBanking,C=GB`: legacy OB transport and signing.
    case legacy
    /// `CN=<org_id>,organizationIdentifier=<id>,O=<legal name>,C=GB`: OBWAC and OBSeal.
    case obwac
}
