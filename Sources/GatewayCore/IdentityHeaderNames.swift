/// Every identity header name the gateway emits or strips: the one place these literals live.
///
/// Why strip more than we emit: an origin may trust identity headers from a proxy it used to sit
/// behind (nginx, Apache, Envoy, Traefik, an AWS or Azure load balancer). If a client could send
/// such a header through us, it could claim any certificate: an authentication bypass (RFC 9440 §3;
/// code-style.md anti-pattern 1). So every known name is removed from inbound requests in any case
/// and with `_` or `-` (some servers, e.g. those behind CGI conventions, treat them as equal), and
/// families are matched by prefix.
public enum IdentityHeaderNames {
    // MARK: rfc9440 profile

    /// RFC 9440 §2.2: the leaf certificate.
    public static let clientCert = "Client-Cert"
    /// RFC 9440 §2.3: the intermediates of the validated path.
    public static let clientCertChain = "Client-Cert-Chain"

    // MARK: derived profile

    /// Subject DN of the leaf, in the configured ``DNFormat``.
    public static let subjectDN = "X-Client-Cert-Subject-DN"
    /// Issuer DN of the leaf, in the configured ``DNFormat``.
    public static let issuerDN = "X-Client-Cert-Issuer-DN"
    /// Leaf serial number, upper-case hex.
    public static let serial = "X-Client-Cert-Serial"
    /// RFC 8705 `x5t#S256` of the leaf.
    public static let thumbprintS256 = "X-Client-Cert-Thumbprint-S256"
    /// `SUCCESS` with a validated certificate, `NONE` without one.
    public static let verify = "X-Client-Cert-Verify"
    /// Open Banking organisation id.
    public static let orgID = "X-Client-Cert-Org-Id"
    /// Open Banking software statement id (legacy certificates).
    public static let softwareID = "X-Client-Cert-Software-Id"
    /// The subject's organizationIdentifier (2.5.4.97).
    public static let organizationIdentifier = "X-Client-Cert-Organization-Identifier"

    // MARK: xfcc profile

    /// Envoy's `x-forwarded-client-cert`.
    public static let forwardedClientCert = "X-Forwarded-Client-Cert"

    // MARK: nginx profile

    /// `$ssl_client_escaped_cert`: URL-encoded PEM.
    public static let nginxCert = "X-SSL-Client-Cert"
    /// `$ssl_client_s_dn`.
    public static let nginxSubjectDN = "X-SSL-Client-S-DN"
    /// `$ssl_client_i_dn`.
    public static let nginxIssuerDN = "X-SSL-Client-I-DN"
    /// `$ssl_client_serial`.
    public static let nginxSerial = "X-SSL-Client-Serial"
    /// `$ssl_client_verify`.
    public static let nginxVerify = "X-SSL-Client-Verify"
    /// `$ssl_client_fingerprint` (SHA-1).
    public static let nginxFingerprint = "X-SSL-Client-Fingerprint"

    // MARK: apache profile

    /// mod_ssl `SSL_CLIENT_CERT`: PEM with newlines as spaces.
    public static let apacheCert = "SSL_CLIENT_CERT"
    /// mod_ssl `SSL_CLIENT_S_DN`.
    public static let apacheSubjectDN = "SSL_CLIENT_S_DN"
    /// mod_ssl `SSL_CLIENT_I_DN`.
    public static let apacheIssuerDN = "SSL_CLIENT_I_DN"
    /// mod_ssl `SSL_CLIENT_VERIFY`.
    public static let apacheVerify = "SSL_CLIENT_VERIFY"
    /// mod_ssl `SSL_CLIENT_CERT_CHAIN_<n>` prefix.
    public static let apacheChainPrefix = "SSL_CLIENT_CERT_CHAIN_"

    /// mod_ssl `SSL_CLIENT_CERT_CHAIN_<index>`.
    public static func apacheChain(_ index: Int) -> String {
        Self.apacheChainPrefix + String(index)
    }

    /// Every fixed name some profile emits (the Apache chain headers are `apacheChain(_:)`).
    public static let emitted: [String] = [
        clientCert, clientCertChain,
        subjectDN, issuerDN, serial, thumbprintS256, verify, orgID, softwareID, organizationIdentifier,
        forwardedClientCert,
        nginxCert, nginxSubjectDN, nginxIssuerDN, nginxSerial, nginxVerify, nginxFingerprint,
        apacheCert, apacheSubjectDN, apacheIssuerDN, apacheVerify,
    ]

    /// Names other proxies and load balancers set and some origin may trust; stripped, never emitted.
    public static let strippedOnly: [String] = [
        "X-Forwarded-Tls-Client-Cert",  // Traefik
        "X-Forwarded-Tls-Client-Cert-Info", "X-Forwarded-Tls-Client-Cert-Infos",
        "X-SSL-Cert", "X-SSL-Client-DN", "X-SSL-Client-CN", "X-SSL-Client-Escaped-Cert",  // nginx/HAProxy conventions
        "X-SSL-Subject", "X-SSL-Issuer", "X-SSL-Verify", "X-SSL-S-DN", "X-SSL-I-DN",
        "X-Client-Cert", "X-Client-Certificate", "X-Client-Cert-Chain",
        "X-Client-Verify", "X-Client-DN", "X-Client-S-DN", "X-Client-I-DN",
        "X-Client-Subject", "X-Client-Subject-DN", "X-Client-Issuer", "X-Client-Issuer-DN",
        "X-Client-Serial", "X-Client-Fingerprint",
        "SSL_CLIENT_S_DN_CN", "SSL_CLIENT_M_SERIAL", "SSL_CLIENT_V_START", "SSL_CLIENT_V_END",  // mod_ssl
        "X-ARR-ClientCert",  // Azure App Service
        "X-Amzn-Mtls-Clientcert", "X-Amzn-Mtls-Clientcert-Leaf",  // AWS ALB
        "X-Amzn-Mtls-Clientcert-Serial-Number", "X-Amzn-Mtls-Clientcert-Issuer",
        "X-Amzn-Mtls-Clientcert-Subject", "X-Amzn-Mtls-Clientcert-Validity",
        "Cf-Client-Cert-Der-Base64", "Cf-Client-Cert-Sha256",  // Cloudflare
    ]

    /// Name prefixes whose whole family is stripped (compared like names).
    public static let strippedPrefixes: [String] = [
        "Client-Cert",  // RFC 9440 and any extension of it
        "X-Client-Cert",  // derived profile, GCP load balancer `X-Client-Cert-*`
        "X-SSL-Client-",  // nginx/HAProxy family
        "SSL_CLIENT_",  // mod_ssl variables, SSL_CLIENT_CERT_CHAIN_<n>
        "X-Forwarded-Client-Cert",  // Envoy
        "X-Forwarded-Tls-Client-Cert",  // Traefik
        "X-Amzn-Mtls-",  // AWS ALB
        "X-ARR-ClientCert",  // Azure
        "Cf-Client-Cert",  // Cloudflare
        "X-Tls-Client-", "X-Mtls-Client-",
    ]

    private static let matcher = HeaderNameMatcher(
        exact: Self.emitted + Self.strippedOnly,
        prefixes: Self.strippedPrefixes
    )

    /// Whether `name` is an identity header: matched case-insensitively with `_` and `-` equal,
    /// exactly or by family prefix.
    ///
    /// Runs for every inbound header, so it does not allocate: names whose first letter no
    /// identity name starts with are rejected after one byte, and candidates are compared byte by
    /// byte against pre-normalised patterns.
    public static func isIdentityHeader(_ name: String) -> Bool {
        Self.matcher.matches(name)
    }
}

/// Allocation-free matching of a header name against a fixed set of names and prefixes,
/// case-insensitively and with `_` equal to `-`.
private struct HeaderNameMatcher: Sendable {
    private struct Pattern: Sendable {
        let bytes: [UInt8]
        let isPrefix: Bool
    }

    /// Patterns by the folded first byte (ASCII only; non-ASCII names never match).
    private let buckets: [[Pattern]]
    private let minimumLength: Int

    init(exact: [String], prefixes: [String]) {
        var buckets = [[Pattern]](repeating: [], count: 128)
        var minimumLength = Int.max
        let patterns = exact.map { Pattern(bytes: Self.fold($0), isPrefix: false) }
            + prefixes.map { Pattern(bytes: Self.fold($0), isPrefix: true) }
        for pattern in patterns {
            guard let first = pattern.bytes.first, first < 128 else { continue }
            // An exact name already covered by a prefix need not be compared.
            let covered = !pattern.isPrefix && patterns.contains { other in
                other.isPrefix && pattern.bytes.starts(with: other.bytes)
            }
            if covered { continue }
            buckets[Int(first)].append(pattern)
            minimumLength = min(minimumLength, pattern.bytes.count)
        }
        self.buckets = buckets
        self.minimumLength = minimumLength
    }

    func matches(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard utf8.count >= self.minimumLength, let first = utf8.first else { return false }
        let folded = Self.fold(first)
        guard folded < 128 else { return false }
        let bucket = self.buckets[Int(folded)]
        guard !bucket.isEmpty else { return false }
        if let result = utf8.withContiguousStorageIfAvailable({ Self.matches($0, bucket) }) {
            return result
        }
        return Self.matches(Array(utf8), bucket)
    }

    private static func matches(_ name: some Collection<UInt8>, _ bucket: [Pattern]) -> Bool {
        let count = name.count
        for pattern in bucket {
            if pattern.isPrefix ? count < pattern.bytes.count : count != pattern.bytes.count {
                continue
            }
            var matched = true
            for (byte, expected) in zip(name, pattern.bytes) where Self.fold(byte) != expected {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte | 0x20
        case UInt8(ascii: "_"): return UInt8(ascii: "-")
        default: return byte
        }
    }

    static func fold(_ name: String) -> [UInt8] {
        name.utf8.map { Self.fold($0) }
    }
}
