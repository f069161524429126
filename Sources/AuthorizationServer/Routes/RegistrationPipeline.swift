import Foundation
import Logging
import MTLSIdentity
import RegistrationCore

/// The whole check of one DCR request JWT, shared by `POST /register` and `PUT /register/{id}`:
/// parse, verify the SSA with its directory's keys, verify the request with the software JWKS,
/// apply every RFC 7591 / OB rule, record the `jti`.
///
/// Order (cheap and local first, network last, replay store only once all else passed):
/// 1. the request JWS shape and `alg` (no fetch for `alg: none`);
/// 2. the request claims' types;
/// 3. the SSA: shape, `iss` a configured directory, signature by that directory (`kid` as-is,
///    one refresh on an unknown `kid`) unless deliberately unsigned SSAs are enabled;
/// 4. the request signature with the key its `kid` names in `software_jwks_endpoint`, fetched
///    with the directory's TLS trust (one refresh on an unknown `kid`);
/// 5. ``RegistrationValidator`` (SSA age and status, envelope, certificate, redirect URIs, …);
/// 6. `jti` recorded until `exp` + skew: a second use is a replay (`invalid_client_metadata`).
struct RegistrationPipeline: Sendable {
    let settings: EndpointSettings
    let fetcher: JWKSFetcher
    let store: any ClientStore

    /// Runs every check on `body` presented with `identity` at `now`.
    ///
    /// - Throws: ``EndpointError`` 400 with an RFC 7591 code, or 503 when the store fails.
    func validate(
        body: [UInt8],
        identity: ClientIdentity,
        now: Date,
        logger: Logger
    ) async throws(EndpointError) -> ValidatedRegistration {
        let policy = self.settings.policy
        let requestJWS: CompactJWS
        let request: RegistrationRequest
        do throws(RegistrationError) {
            requestJWS = try Self.parseRequest(body, maximumLength: self.settings.maxBodySize, policy: policy)
            request = try RegistrationRequest(jws: requestJWS)
        } catch {
            throw .registration(error)
        }
        let directory = try await self.verifySoftwareStatement(request.softwareStatement, policy: policy)
        let ssa: SoftwareStatement
        do throws(RegistrationError) {
            ssa = try SoftwareStatement(jws: directory.jws)
        } catch {
            throw .registration(error)
        }
        let softwareKeys = try await self.verifyRequest(requestJWS, ssa: ssa, directory: directory.configuration)
        let validated: ValidatedRegistration
        switch RegistrationValidator.validate(
            request: request,
            ssa: ssa,
            presented: identity,
            softwareTLSThumbprints: softwareKeys.tlsCertificateThumbprints,
            policy: policy,
            now: now
        ) {
        case .success(let registration): validated = registration
        case .failure(let error): throw .registration(error)
        }
        let expiresAt = validated.requestExpiresAt.addingTimeInterval(policy.clockSkew.inSeconds)
        let fresh = try await withStore(logger) { () async throws(ClientStoreError) -> Bool in
            try await self.store.recordJTI(
                validated.requestJWTID,
                scope: "registration:" + ssa.softwareID,
                expiresAt: expiresAt
            )
        }
        guard fresh else {
            throw .registration(
                RegistrationError(.invalidClientMetadata, "claim 'jti' has already been used (replay)", claim: "jti")
            )
        }
        return validated
    }

    /// The request JWS, with its `alg` checked before any key is fetched.
    private static func parseRequest(
        _ body: [UInt8],
        maximumLength: Int,
        policy: RegistrationPolicy
    ) throws(RegistrationError) -> CompactJWS {
        do throws(JOSEError) {
            let jws = try CompactJWS.parse(String(decoding: body, as: UTF8.self), maximumLength: maximumLength)
            _ = try JWSVerifier.allowedAlgorithm(jws.header.algorithm, allowedAlgorithms: policy.allowedAlgorithms)
            return jws
        } catch {
            throw .requestJWS(error)
        }
    }

    /// The parsed SSA and the directory that signed it.
    private func verifySoftwareStatement(
        _ text: String,
        policy: RegistrationPolicy
    ) async throws(EndpointError) -> (jws: CompactJWS, configuration: DirectoryConfiguration) {
        let jws: CompactJWS
        do throws(JOSEError) {
            jws = try CompactJWS.parse(text)
        } catch {
            throw .registration(.softwareStatementJWS(error))
        }
        // The issuer is read before verification only to choose the keys; nothing else is used.
        guard let issuer = (try? jws.claims())?["iss"]?.stringValue else {
            throw .registration(
                RegistrationError(
                    .invalidSoftwareStatement,
                    "software_statement: claim 'iss' is required",
                    claim: "iss"
                )
            )
        }
        guard let directory = self.settings.directory(issuer: issuer) else {
            throw .registration(
                RegistrationError(
                    .invalidSoftwareStatement,
                    "software_statement: issuer '\(issuer)' is not a trusted directory",
                    claim: "iss"
                )
            )
        }
        if policy.acceptsUnsignedSoftwareStatement(jws) {
            return (jws, directory)
        }
        do throws(JWKSVerificationError) {
            _ = try await self.fetcher.verify(
                jws,
                using: self.settings.directoryKeys(directory),
                allowedAlgorithms: policy.allowedAlgorithms
            )
        } catch {
            switch error {
            case .rejected(let jose):
                throw .registration(.softwareStatementJWS(jose))
            case .keySetUnavailable(let failure):
                throw .registration(
                    RegistrationError(
                        .invalidSoftwareStatement,
                        "software_statement: the JWKS of directory '\(directory.name)' \(failure)",
                        claim: "software_statement"
                    )
                )
            }
        }
        return (jws, directory)
    }

    /// Verifies the request with the software JWKS; returns the set (for its `tls` keys).
    private func verifyRequest(
        _ jws: CompactJWS,
        ssa: SoftwareStatement,
        directory: DirectoryConfiguration
    ) async throws(EndpointError) -> JSONWebKeySet {
        do throws(JWKSVerificationError) {
            return try await self.fetcher.verify(
                jws,
                using: self.settings.softwareKeys(ssa.softwareJWKSEndpoint, in: directory),
                allowedAlgorithms: self.settings.policy.allowedAlgorithms
            )
        } catch {
            switch error {
            case .rejected(let jose):
                throw .registration(.requestJWS(jose))
            case .keySetUnavailable(let failure):
                throw .registration(
                    RegistrationError(
                        .invalidClientMetadata,
                        "request JWT: the software JWKS at software_jwks_endpoint \(failure)",
                        claim: "software_jwks_endpoint"
                    )
                )
            }
        }
    }
}
