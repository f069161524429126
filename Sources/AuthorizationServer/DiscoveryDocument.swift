import RegistrationCore

/// The OpenID Provider metadata served at `/.well-known/openid-configuration` (OIDC Discovery
/// §3, RFC 8414 §2, RFC 8705 §3.3 and §5), built once from the configuration.
///
/// Why it is served without a client certificate: TPPs fetch discovery and the JWKS before they
/// have one configured for this bank (open-banking.md §4, §8: "discovery put behind MTLS").
enum DiscoveryDocument {
    /// The metadata document.
    static func json(_ settings: EndpointSettings) -> JSONValue {
        let algorithms = JSONValue.array(settings.policy.allowedAlgorithms.sorted(by: >).map { .string($0.name) })
        let methods = settings.policy.tokenEndpointAuthMethods.sorted().map { JSONValue.string($0.rawValue) }
        var scopes = settings.policy.alwaysAllowedScopes
        for roleScopes in settings.policy.roleScopes.values {
            scopes.formUnion(roleScopes)
        }
        let aliases: [String: JSONValue] = [
            "token_endpoint": .string(settings.mutualTLSBaseURL + EndpointSettings.Path.token),
            "registration_endpoint": .string(settings.mutualTLSBaseURL + EndpointSettings.Path.register),
        ]
        var document: [String: JSONValue] = [
            "issuer": .string(settings.issuer),
            "registration_endpoint": .string(settings.registrationEndpoint),
            "token_endpoint": .string(settings.tokenEndpoint),
            "jwks_uri": .string(settings.jwksURI),
            "token_endpoint_auth_methods_supported": .array(methods),
            "token_endpoint_auth_signing_alg_values_supported": algorithms,
            "request_object_signing_alg_values_supported": algorithms,
            "id_token_signing_alg_values_supported": algorithms,
            "response_types_supported": .array(settings.policy.responseTypes.sorted().map(JSONValue.string)),
            "grant_types_supported": .array(settings.policy.grantTypes.sorted().map(JSONValue.string)),
            "scopes_supported": .array(scopes.sorted().map(JSONValue.string)),
            "tls_client_certificate_bound_access_tokens": true,
            "subject_types_supported": ["public"],
        ]
        if let authorizationEndpoint = settings.authorizationEndpoint {
            document["authorization_endpoint"] = .string(authorizationEndpoint)
        }
        if settings.introspectionEnabled {
            document["introspection_endpoint"] = .string(settings.introspectionEndpoint)
            document["introspection_endpoint_auth_methods_supported"] = ["client_secret_basic"]
        }
        document["mtls_endpoint_aliases"] = .object(aliases)
        return .object(document)
    }
}
