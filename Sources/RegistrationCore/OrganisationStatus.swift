/// An SSA's `org_status` (open-banking.md §6), read case-insensitively.
///
/// Why it matters: only an `Active` organisation may register; a `Revoked` or `Withdrawn` one
/// holds a validly signed SSA the bank must refuse with `unapproved_software_statement`.
public enum OrganisationStatus: Sendable, Hashable {
    /// `Active`.
    case active
    /// `Revoked`.
    case revoked
    /// `Withdrawn`.
    case withdrawn
    /// Anything else, as published.
    case other(String)

    /// Parses a status in any case (`Active`, `ACTIVE`, `active`).
    public init(_ text: String) {
        switch text.lowercased() {
        case "active": self = .active
        case "revoked": self = .revoked
        case "withdrawn": self = .withdrawn
        default: self = .other(text)
        }
    }

    /// The canonical spelling (`Active`, `Revoked`, `Withdrawn`, or the original text).
    public var name: String {
        switch self {
        case .active: return "Active"
        case .revoked: return "Revoked"
        case .withdrawn: return "Withdrawn"
        case .other(let text): return text
        }
    }
}
