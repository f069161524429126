import RegistrationCore

/// Why a JWS could not be verified against a fetched key set.
enum JWKSVerificationError: Error, Sendable, Hashable {
    /// The key set could not be obtained.
    case keySetUnavailable(JWKSFetcherError)
    /// The JWS is refused (algorithm, `kid`, key, signature).
    case rejected(JOSEError)
}

extension JWKSFetcher {
    /// Verifies `jws` with the key its `kid` names in the set `request` describes, refreshing the
    /// set once when the `kid` is unknown (the publisher may have rotated keys since it was
    /// cached). Returns the set the signature was verified with.
    ///
    /// Why the algorithm is checked before anything is fetched: `none`, `HS*` and `RS256` are
    /// refused whatever the keys (RFC 8725 §3.1), and refusing them first means a forged token
    /// cannot even make the server fetch.
    func verify(
        _ jws: CompactJWS,
        using request: JWKSRequest,
        allowedAlgorithms: Set<JWSAlgorithm>
    ) async throws(JWKSVerificationError) -> JSONWebKeySet {
        do throws(JOSEError) {
            _ = try JWSVerifier.allowedAlgorithm(jws.header.algorithm, allowedAlgorithms: allowedAlgorithms)
            guard jws.header.keyID != nil else { throw .missingKeyID }
        } catch {
            throw .rejected(error)
        }
        let cached: JSONWebKeySet
        do throws(JWKSFetcherError) {
            cached = try await self.keySet(for: request)
        } catch {
            throw .keySetUnavailable(error)
        }
        do throws(JOSEError) {
            try JWSVerifier.verify(jws, in: cached, allowedAlgorithms: allowedAlgorithms)
            return cached
        } catch .unknownKeyID {
            // Fall through to one refresh.
        } catch {
            throw .rejected(error)
        }
        let refreshed: JSONWebKeySet
        do throws(JWKSFetcherError) {
            refreshed = try await self.keySet(for: request, refresh: true)
        } catch {
            throw .keySetUnavailable(error)
        }
        do throws(JOSEError) {
            try JWSVerifier.verify(jws, in: refreshed, allowedAlgorithms: allowedAlgorithms)
            return refreshed
        } catch {
            throw .rejected(error)
        }
    }
}
