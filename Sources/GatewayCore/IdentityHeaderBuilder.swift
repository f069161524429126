import MTLSIdentity

/// Builds the identity headers the gateway adds to upstream requests, for the configured profiles.
///
/// Computed once per connection (after the handshake) and reused for every request on it, so the
/// PEM and URL encodings are paid once. Every value is ASCII apart from a `.rfc4514` DN with
/// non-ASCII characters (raw UTF-8, as RFC 4514 writes it), and none contains CR, LF or NUL.
///
/// Why the gateway, not the origin, builds these: the origin cannot see the TLS session, so these
/// headers are its only evidence of the client's certificate. They are added after
/// ``HeaderPolicy`` has removed every inbound copy, so only the gateway can set them (RFC 9440 §3).
public struct IdentityHeaderBuilder: Sendable {
    /// Enabled profiles, duplicates removed, in configuration order (which is the output order).
    public let profiles: [IdentityHeaderProfile]
    /// How DNs are rendered in the `derived` profile (the compatibility profiles use the format
    /// their original proxy uses).
    public let dnFormat: DNFormat

    /// Creates a builder for `profiles`, rendering `derived` DNs in `dnFormat`.
    public init(profiles: [IdentityHeaderProfile], dnFormat: DNFormat) {
        var seen: Set<IdentityHeaderProfile> = []
        self.profiles = profiles.filter { seen.insert($0).inserted }
        self.dnFormat = dnFormat
    }

    /// The identity headers for a connection.
    ///
    /// Without an identity only `X-Client-Cert-Verify: NONE` is produced (when `derived` is
    /// enabled): the compatibility profiles send nothing, so an origin cannot mistake an empty value
    /// for a certificate.
    public func headers(for identity: ClientIdentity?) -> [(name: String, value: String)] {
        guard let identity else {
            return self.profiles.contains(.derived) ? [(IdentityHeaderNames.verify, Self.verifyNone)] : []
        }
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(self.profiles.count * 6)
        var encodings = Encodings(identity)
        for profile in self.profiles {
            switch profile {
            case .rfc9440: Self.addRFC9440(identity, to: &headers)
            case .derived: self.addDerived(identity, to: &headers)
            case .xfcc: headers.append((IdentityHeaderNames.forwardedClientCert, Self.xfcc(identity, &encodings)))
            case .nginx: Self.addNginx(identity, &encodings, to: &headers)
            case .apache: Self.addApache(identity, &encodings, to: &headers)
            }
        }
        return headers
    }

    static let verifySuccess = "SUCCESS"
    static let verifyNone = "NONE"

    // MARK: profiles

    /// RFC 9440 §2: `Client-Cert` (leaf) and `Client-Cert-Chain` (intermediates of the validated
    /// path, omitted when there are none).
    private static func addRFC9440(_ identity: ClientIdentity, to headers: inout [(name: String, value: String)]) {
        headers.append((IdentityHeaderNames.clientCert, RFC9440.encodeCertificate(identity.leafDER)))
        let intermediates = identity.intermediatesDER
        if !intermediates.isEmpty {
            headers.append((IdentityHeaderNames.clientCertChain, RFC9440.encodeCertificateChain(intermediates)))
        }
    }

    private func addDerived(_ identity: ClientIdentity, to headers: inout [(name: String, value: String)]) {
        headers.append((IdentityHeaderNames.subjectDN, identity.subjectDN(self.dnFormat)))
        headers.append((IdentityHeaderNames.issuerDN, identity.issuerDN(self.dnFormat)))
        headers.append((IdentityHeaderNames.serial, identity.serialNumberHex))
        headers.append((IdentityHeaderNames.thumbprintS256, identity.thumbprintS256))
        headers.append((IdentityHeaderNames.verify, Self.verifySuccess))
        if let orgID = identity.orgID {
            headers.append((IdentityHeaderNames.orgID, Self.printable(orgID)))
        }
        if let softwareID = identity.softwareID {
            headers.append((IdentityHeaderNames.softwareID, Self.printable(softwareID)))
        }
        if let organizationIdentifier = identity.organizationIdentifier {
            headers.append((IdentityHeaderNames.organizationIdentifier, Self.printable(organizationIdentifier)))
        }
    }

    /// Envoy `x-forwarded-client-cert` with one element (Envoy's `SANITIZE_SET`: any inbound
    /// value was removed, ours replaces it): `Hash`, `Cert`, `Chain` (leaf + intermediates),
    /// `Subject` (OpenSSL RFC 2253 form), then one `URI=` and `DNS=` per SAN.
    static func xfcc(_ identity: ClientIdentity, _ encodings: inout Encodings) -> String {
        var value = "Hash=" + identity.thumbprintS256Hex
        value += ";Cert=\"" + encodings.leafURLEncodedPEM + "\""
        value += ";Chain=\"" + encodings.chainURLEncodedPEM + "\""
        value += ";Subject=" + Self.xfccQuoted(identity.subjectDN(.openssl))
        for uri in identity.uris where Self.isPrintableASCII(uri) {
            value += ";URI=" + Self.xfccValue(uri)
        }
        for dns in identity.dnsNames where Self.isPrintableASCII(dns) {
            value += ";DNS=" + Self.xfccValue(dns)
        }
        return value
    }

    /// nginx `proxy_set_header` conventions for `$ssl_client_*`.
    private static func addNginx(
        _ identity: ClientIdentity,
        _ encodings: inout Encodings,
        to headers: inout [(name: String, value: String)]
    ) {
        headers.append((IdentityHeaderNames.nginxCert, encodings.leafURLEncodedPEM))
        headers.append((IdentityHeaderNames.nginxSubjectDN, identity.subjectDN(.openssl)))
        headers.append((IdentityHeaderNames.nginxIssuerDN, identity.issuerDN(.openssl)))
        headers.append((IdentityHeaderNames.nginxSerial, identity.serialNumberHex))
        headers.append((IdentityHeaderNames.nginxVerify, Self.verifySuccess))
        headers.append((IdentityHeaderNames.nginxFingerprint, identity.thumbprintSHA1Hex))
    }

    /// Apache mod_ssl variables as `RequestHeader set` forwards them: PEM with newlines as spaces,
    /// DNs in RFC 2253 form, one `SSL_CLIENT_CERT_CHAIN_<n>` per intermediate from 0.
    private static func addApache(
        _ identity: ClientIdentity,
        _ encodings: inout Encodings,
        to headers: inout [(name: String, value: String)]
    ) {
        headers.append((IdentityHeaderNames.apacheCert, Self.apachePEM(encodings.leafPEM)))
        headers.append((IdentityHeaderNames.apacheSubjectDN, identity.subjectDN(.openssl)))
        headers.append((IdentityHeaderNames.apacheIssuerDN, identity.issuerDN(.openssl)))
        headers.append((IdentityHeaderNames.apacheVerify, Self.verifySuccess))
        for (index, der) in identity.intermediatesDER.enumerated() {
            headers.append((IdentityHeaderNames.apacheChain(index), Self.apachePEM(CertificatePEM.encode(der))))
        }
    }
}
