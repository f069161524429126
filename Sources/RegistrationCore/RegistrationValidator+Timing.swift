import Foundation

extension RegistrationValidator {
    /// SSA rules (open-banking.md §6): a trusted issuer, an `iat` not in the future and within
    /// the configured maximum age (SSAs have no `exp`), and an Active organisation.
    ///
    /// Why the status check is `unapproved_software_statement`: the SSA is authentic, the bank
    /// just may not accept a revoked or withdrawn organisation (§4).
    static func checkSoftwareStatement(
        _ ssa: SoftwareStatement,
        policy: RegistrationPolicy,
        now: Date
    ) throws(RegistrationError) {
        if !policy.softwareStatementIssuers.isEmpty, !policy.softwareStatementIssuers.contains(ssa.issuer) {
            throw RegistrationError(
                .invalidSoftwareStatement,
                "software_statement: iss '\(ssa.issuer)' is not a trusted directory",
                claim: "iss"
            )
        }
        let skew = policy.clockSkew.timeInterval
        let age = now.timeIntervalSince(ssa.issuedAt)
        if age < -skew {
            throw RegistrationError(
                .invalidSoftwareStatement,
                "software_statement: iat is in the future (\(Self.seconds(-age)) s ahead, clock skew \(Self.seconds(skew)) s)",
                claim: "iat"
            )
        }
        if age > policy.softwareStatementMaxAge.timeInterval + skew {
            throw RegistrationError(
                .invalidSoftwareStatement,
                "software_statement: iat is \(Self.seconds(age)) s old, more than the maximum age of "
                    + "\(Self.seconds(policy.softwareStatementMaxAge.timeInterval)) s",
                claim: "iat"
            )
        }
        guard ssa.organisationStatus == .active else {
            throw RegistrationError(
                .unapprovedSoftwareStatement,
                "software_statement: org_status is '\(ssa.organisationStatus.name)', only Active organisations may register",
                claim: "org_status"
            )
        }
    }

    /// Request JWT envelope rules (open-banking.md §5, RFC 7519 §4.1, RFC 7591 §2.3):
    /// `iss` = SSA `software_id`; `software_id`, when sent, the same; `aud` names this server;
    /// `iat` not in the future beyond the skew and not older than the maximum age; `exp` after
    /// now, after `iat` and at most the maximum age after `iat`; `jti` bounded.
    ///
    /// Why both ages: a JWT whose lifetime is unbounded would have to stay in the replay cache
    /// forever; bounding `exp − iat` bounds the cache (the `jti` is kept until `exp` + skew).
    /// `iat` in milliseconds lands far in the future and is refused here (§8).
    static func checkEnvelope(
        _ request: RegistrationRequest,
        ssa: SoftwareStatement,
        policy: RegistrationPolicy,
        now: Date
    ) throws(RegistrationError) {
        guard request.issuer == ssa.softwareID else {
            throw RegistrationError(
                .invalidClientMetadata,
                "iss '\(request.issuer)' must equal the software_statement's software_id '\(ssa.softwareID)'",
                claim: "iss"
            )
        }
        if let softwareID = request.softwareID, softwareID != ssa.softwareID {
            throw RegistrationError(
                .invalidClientMetadata,
                "software_id '\(softwareID)' must equal the software_statement's software_id '\(ssa.softwareID)'",
                claim: "software_id"
            )
        }
        guard request.audience.contains(where: policy.audiences.contains) else {
            throw RegistrationError(
                .invalidClientMetadata,
                "aud \(request.audience.map { "'\($0)'" }.joined(separator: ", ")) does not name this authorization server",
                claim: "aud"
            )
        }
        let skew = policy.clockSkew.timeInterval
        let maxAge = policy.requestMaxAge.timeInterval
        let age = now.timeIntervalSince(request.issuedAt)
        if age < -skew {
            throw RegistrationError(
                .invalidClientMetadata,
                "iat is in the future (\(Self.seconds(-age)) s ahead, clock skew \(Self.seconds(skew)) s; "
                    + "iat must be in seconds, not milliseconds)",
                claim: "iat"
            )
        }
        if age > maxAge + skew {
            throw RegistrationError(
                .invalidClientMetadata,
                "iat is \(Self.seconds(age)) s old, more than the maximum request age of \(Self.seconds(maxAge)) s",
                claim: "iat"
            )
        }
        guard request.expiresAt > now else {
            throw RegistrationError(.invalidClientMetadata, "exp has passed: the request JWT has expired", claim: "exp")
        }
        guard request.expiresAt > request.issuedAt else {
            throw RegistrationError(.invalidClientMetadata, "exp must be after iat", claim: "exp")
        }
        let lifetime = request.expiresAt.timeIntervalSince(request.issuedAt)
        if lifetime > maxAge + skew {
            throw RegistrationError(
                .invalidClientMetadata,
                "exp − iat is \(Self.seconds(lifetime)) s, more than the maximum request age of \(Self.seconds(maxAge)) s",
                claim: "exp"
            )
        }
        guard request.jwtID.utf8.count <= Self.maximumJWTIDLength else {
            throw RegistrationError(
                .invalidClientMetadata,
                "jti is longer than \(Self.maximumJWTIDLength) bytes",
                claim: "jti"
            )
        }
    }

    /// Bound on `jti`: it is stored in the replay table.
    static let maximumJWTIDLength = 256

    /// Whole seconds, for descriptions.
    static func seconds(_ interval: Double) -> Int64 {
        Int64(interval.rounded(.towardZero))
    }
}
