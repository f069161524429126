import Hummingbird

extension AuthorizationServerApplication {
    /// The router of every endpoint (issue 3, "Endpoints").
    ///
    /// Generic over the request context so that router tests can supply the TCP peer address
    /// (Hummingbird's in-memory test channel has none); production uses
    /// ``AuthorizationServerRequestContext``, which reads it from the channel.
    static func makeRouter<Context: RemoteAddressRequestContext>(
        _ dependencies: EndpointDependencies,
        context: Context.Type
    ) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: EndpointErrorMiddleware<Context>())

        let discovery = DiscoveryEndpoint(dependencies: dependencies)
        router.get(RouterPath(EndpointSettings.Path.discovery)) { request, context in
            discovery.configuration(request, context: context)
        }
        router.get(RouterPath(EndpointSettings.Path.jwks)) { request, context in
            discovery.jwks(request, context: context)
        }

        let registration = RegistrationEndpoint(dependencies: dependencies)
        router.post(RouterPath(EndpointSettings.Path.register)) { request, context in
            try await registration.handle(request, context: context)
        }
        let management = RegistrationManagementEndpoint(dependencies: dependencies)
        let clientPath = RouterPath(EndpointSettings.Path.register + "/:" + RegistrationManagementEndpoint.parameter)
        router.get(clientPath) { request, context in
            try await management.read(request, context: context)
        }
        router.put(clientPath) { request, context in
            try await management.update(request, context: context)
        }
        router.delete(clientPath) { request, context in
            try await management.delete(request, context: context)
        }

        let token = TokenEndpoint(dependencies: dependencies)
        router.post(RouterPath(EndpointSettings.Path.token)) { request, context in
            try await token.handle(request, context: context)
        }
        if dependencies.settings.introspectionEnabled {
            let introspection = IntrospectionEndpoint(dependencies: dependencies)
            router.post(RouterPath(EndpointSettings.Path.introspect)) { request, context in
                try await introspection.handle(request, context: context)
            }
        }
        let health = HealthEndpoint(dependencies: dependencies)
        router.get(RouterPath(EndpointSettings.Path.live)) { request, context in
            health.live(request, context: context)
        }
        router.get(RouterPath(EndpointSettings.Path.ready)) { request, context in
            await health.ready(request, context: context)
        }
        return router
    }
}
