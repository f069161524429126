/// A family of identity headers the gateway can forward upstream (`[identity_headers] forward`).
///
/// Every header of every profile is stripped from inbound requests whether or not the profile is
/// enabled; enabling a profile only decides which ones the gateway adds.
public enum IdentityHeaderProfile: String, Sendable, Hashable, CaseIterable {
    /// RFC 9440 `Client-Cert` / `Client-Cert-Chain`.
    case rfc9440
    /// `X-Client-Cert-*`: DN, serial, `x5t#S256`, verify status and the Open Banking fields.
    case derived
    /// Envoy's `x-forwarded-client-cert`.
    case xfcc
    /// nginx's `X-SSL-Client-*`.
    case nginx
    /// Apache mod_ssl's `SSL_CLIENT_*`.
    case apache
}
