import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RegistrationCore
import Testing

@testable import AuthorizationServer

@Suite("GET /healthz and GET /readyz")
struct HealthEndpointTests {
    @Test("both answer 200 without a client certificate while the store is available")
    func healthy() async throws {
        try await ASHarness().test { client in
            let live = try await client.send(.get, "/healthz")
            #expect(live.status == .ok)
            #expect(live.jsonObject["status"] == "ok")
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.jsonObject["status"] == "ready")
            #expect(ready.headers[.cacheControl] == "no-store")
        }
    }

    @Test("an outage of the store turns /readyz to 503 and back")
    func outage() async throws {
        let harness = try await ASHarness()
        try await harness.test { client in
            await harness.store.setAvailable(false)
            let down = try await client.send(.get, "/readyz")
            #expect(down.status == .serviceUnavailable)
            let live = try await client.send(.get, "/healthz")
            #expect(live.status == .ok)
            await harness.store.setAvailable(true)
            let back = try await client.send(.get, "/readyz")
            #expect(back.status == .ok)
        }
    }

    @Test("a database that stopped answering: /readyz 503 naming no host or path, /healthz still 200", arguments: [StoreKind.sqlite] + (StoreKind.postgresURL == nil ? [] : [StoreKind.postgres]))
    func databaseGone(_ kind: StoreKind) async throws {
        let opened = try await StoreUnderTest.open(kind)
        try await opened.store.checkAvailable()
        await opened.close()
        let harness = try await ASHarness()
        let dependencies = try EndpointDependencies(
            configuration: ASFixtures.configuration(),
            store: opened.store,
            fetcher: harness.dependencies.fetcher
        )
        let router = AuthorizationServerApplication.makeRouter(dependencies, context: ASTestRequestContext.self)
        try await Application(router: router, logger: ASHarness.logger).test(.router) { client in
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.jsonObject == ["status": "unavailable", "reason": "database_unavailable"])
            let live = try await client.send(.get, "/healthz")
            #expect(live.status == .ok)
        }
    }
}
