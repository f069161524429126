import SwiftASN1
import X509

/// The qcStatements extension of an OBWAC/QWAC certificate, carrying the PSD2 roles.
///
/// Why it exists: gateways and banks read the regulated roles of a TPP from this extension
/// (ETSI TS 119 495 §5.1), so sandbox OBWACs carry it. Structure (RFC 3739 §3.2.6):
/// `QCStatements ::= SEQUENCE OF SEQUENCE { statementId OID, statementInfo ANY OPTIONAL }` with
/// QcType web (ETSI EN 319 412-5, 0.4.0.1862.1.6 → 0.4.0.1862.1.6.3) and the PSD2 statement
/// (0.4.0.19495.2: `SEQUENCE { rolesOfPSP SEQUENCE OF SEQUENCE { OID, UTF8String },
/// nCAName UTF8String, nCAId UTF8String }`). Non-critical, as in real certificates.
public struct PSD2QCStatements: Sendable, Hashable {
    /// A PSD2 role of a payment service provider (ETSI TS 119 495 §5.1, OID 0.4.0.19495.1.x).
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// Account servicing (a bank, ASPSP).
        case accountServicing = "PSP_AS"
        /// Payment initiation (PISP).
        case paymentInitiation = "PSP_PI"
        /// Account information (AISP).
        case accountInformation = "PSP_AI"
        /// Issuing of card-based payment instruments (CBPII).
        case issuingCardBasedPaymentInstruments = "PSP_IC"

        /// The role OID, 0.4.0.19495.1.{1,2,3,4}.
        public var oid: ASN1ObjectIdentifier {
            switch self {
            case .accountServicing: [0, 4, 0, 19495, 1, 1]
            case .paymentInitiation: [0, 4, 0, 19495, 1, 2]
            case .accountInformation: [0, 4, 0, 19495, 1, 3]
            case .issuingCardBasedPaymentInstruments: [0, 4, 0, 19495, 1, 4]
            }
        }
    }

    /// The qcStatements extension OID, id-pe-qcStatements (RFC 3739).
    public static let extensionOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 3]
    /// id-etsi-psd2-qcStatement.
    public static let psd2StatementOID: ASN1ObjectIdentifier = [0, 4, 0, 19495, 2]
    /// id-etsi-qcs-QcType.
    public static let qcTypeOID: ASN1ObjectIdentifier = [0, 4, 0, 1862, 1, 6]
    /// id-etsi-qct-web: a certificate for website authentication.
    public static let qcTypeWebOID: ASN1ObjectIdentifier = [0, 4, 0, 1862, 1, 6, 3]

    /// The PSD2 roles granted.
    public var roles: [Role]
    /// The competent authority's name.
    public var competentAuthorityName: String
    /// The competent authority's identifier, `<country>-<abbreviation>`.
    public var competentAuthorityID: String

    /// Creates the statement; the defaults are the UK regulator.
    public init(
        roles: [Role],
        competentAuthorityName: String = "Financial Conduct Authority",
        competentAuthorityID: String = "GB-FCA"
    ) {
        self.roles = roles
        self.competentAuthorityName = competentAuthorityName
        self.competentAuthorityID = competentAuthorityID
    }

    /// The DER-encoded, non-critical qcStatements extension.
    public func makeExtension() throws -> Certificate.Extension {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { statements in
            try statements.appendConstructedNode(identifier: .sequence) { qcType in
                try qcType.serialize(Self.qcTypeOID)
                try qcType.appendConstructedNode(identifier: .sequence) { types in
                    try types.serialize(Self.qcTypeWebOID)
                }
            }
            try statements.appendConstructedNode(identifier: .sequence) { psd2 in
                try psd2.serialize(Self.psd2StatementOID)
                try psd2.appendConstructedNode(identifier: .sequence) { info in
                    try info.appendConstructedNode(identifier: .sequence) { roles in
                        for role in self.roles {
                            try roles.appendConstructedNode(identifier: .sequence) { entry in
                                try entry.serialize(role.oid)
                                try entry.serialize(ASN1UTF8String(role.rawValue))
                            }
                        }
                    }
                    try info.serialize(ASN1UTF8String(self.competentAuthorityName))
                    try info.serialize(ASN1UTF8String(self.competentAuthorityID))
                }
            }
        }
        return Certificate.Extension(oid: Self.extensionOID, critical: false, value: serializer.serializedBytes[...])
    }
}
