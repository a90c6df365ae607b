import Catalog
import CatalogTesting
import EmporiumCore
import EmporiumTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import Metrics
import NIOFoundationEssentialsCompat
import PostgresNIO
import Prometheus
import Runtime
import Testing

/// GraphQL over HTTP, health and metrics, through the real router and a real PostgreSQL.
@Suite struct HTTPTests {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    func withApp(_ framework: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol, TokenService) async throws -> Void) async throws {
        let fixture = try await CatalogFixture.make("http")
        let registry = Self.registry
        try await fixture.run { _, client in
            let logger = Logger(label: "test.http")
            let tokens = try await TokenService(keys: .hmacSHA256(secret: testJWTSecret))
            let router = try await EmporiumApplication.router(postgres: client, tokens: tokens, registry: registry, poolSize: 10,
                internalCredential: testInternalCredential, logger: logger)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            try await app.test(framework) { testClient in
                try await body(testClient, tokens)
            }
        }
    }

    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func decode(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] ?? [:]
    }

    static func firstErrorCode(_ buffer: ByteBuffer) -> String? {
        let errors = decode(buffer)["errors"] as? [[String: Any]]
        return (errors?.first?["extensions"] as? [String: Any])?["code"] as? String
    }

    @Test func postQueriesAnswerJSON() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: Self.json(#"{"query":"{ products(first: 1) { pageInfo { hasNextPage } } }"}"#))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let data = Self.decode(response.body)["data"] as? [String: Any]
            #expect((data?["products"] as? [String: Any]) != nil)
        }
    }

    @Test func malformedBodiesAre400NotServerErrors() async throws {
        try await withApp { client, _ in
            let broken = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: Self.json("{not json"))
            #expect(broken.status == .badRequest)
            #expect(Self.firstErrorCode(broken.body) == "BAD_REQUEST")
            let noQuery = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: Self.json(#"{"variables":{}}"#))
            #expect(noQuery.status == .badRequest)
            let wrongType = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "text/plain"], body: Self.json("{ products { edges { cursor } } }"))
            #expect(wrongType.status == .unsupportedMediaType)
        }
    }

    @Test func graphQLResponseMediaTypeUses400ForRequestErrors() async throws {
        try await withApp { client, _ in
            let body = Self.json(#"{"query":"{ products { nope } }"}"#)
            let modern = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json", .accept: "application/graphql-response+json"], body: body)
            #expect(modern.status == .badRequest)
            #expect(modern.headers[.contentType]?.hasPrefix("application/graphql-response+json") == true)
            #expect(Self.firstErrorCode(modern.body) == "GRAPHQL_VALIDATION_FAILED")
            let legacy = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json", .accept: "application/json"], body: body)
            #expect(legacy.status == .ok)
            #expect(Self.firstErrorCode(legacy.body) == "GRAPHQL_VALIDATION_FAILED")
        }
    }

    @Test func getRunsQueriesButNotMutations() async throws {
        try await withApp { client, _ in
            let query = try await client.execute(uri: "/graphql?query=%7B%20categories%20%7B%20id%20%7D%20%7D", method: .get)
            #expect(query.status == .ok)
            #expect((Self.decode(query.body)["data"] as? [String: Any])?["categories"] != nil)
            let mutation = try await client.execute(uri: "/graphql?query=mutation%20%7B%20archiveProduct(id%3A%20%22x%22)%20%7B%20id%20%7D%20%7D", method: .get)
            #expect(mutation.status == .methodNotAllowed)
            #expect(mutation.headers[.allow] == "POST")
        }
    }

    @Test func browsersGetTheExplorer() async throws {
        try await withApp { client, _ in
            let page = try await client.execute(uri: "/graphql", method: .get, headers: [.accept: "text/html,application/xhtml+xml"])
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: page.body).contains("<textarea id=\"query\""))
        }
    }

    @Test func invalidTokensAre401() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json", .authorization: "Bearer nonsense"], body: Self.json(#"{"query":"{ categories { id } }"}"#))
            #expect(response.status == .unauthorized)
            #expect(Self.firstErrorCode(response.body) == "UNAUTHENTICATED")
        }
    }

    @Test func healthAndMetrics() async throws {
        try await withApp { client, _ in
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            // Readiness may say "not ready" for a moment while the pool opens its connections on a
            // loaded machine (the check allows the database two seconds); an orchestrator asks again.
            var ready = try await client.execute(uri: "/health/ready", method: .get)
            for _ in 0..<10 where ready.status != .ok {
                try await Task.sleep(for: .milliseconds(500))
                ready = try await client.execute(uri: "/health/ready", method: .get)
            }
            #expect(ready.status == .ok)
            #expect(String(buffer: ready.body).contains("\"database\":\"ok\""))
            // A client-chosen name gets its own series only once common (`OperationMetrics`).
            for _ in 0..<100 {
                _ = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: Self.json(#"{"query":"query MetricsProbe { categories { id } }","operationName":"MetricsProbe"}"#))
            }
            // Made-up methods share one series instead of growing the metrics without bound.
            _ = try await client.execute(uri: "/health/live", method: HTTPRequest.Method("FROBNICATE")!)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            #expect(text.contains(#"graphql_requests_total{operation="MetricsProbe",outcome="ok"}"#))
            #expect(text.contains("graphql_request_duration_seconds_bucket"))
            #expect(text.contains("db_pool_max_connections 10"))
            #expect(!text.contains("FROBNICATE"))
            #expect(text.contains(#"http_request_method="OTHER""#))
        }
    }

    /// Over a real socket: a seller creates and publishes a product, an anonymous client reads it by slug.
    @Test func liveServerRoundTrip() async throws {
        try await withApp(.live) { client, tokens in
            let token = try await tokens.issue(userID: UserID("seller-live"), roles: [.seller])
            let create = #"{"query":"mutation { createProduct(input: {title: \"Чайник Ретро\", price: {amount: 249000, currency: \"RUB\"}}) { id slug } }"}"#
            let created = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"], body: Self.json(create))
            let product = (Self.decode(created.body)["data"] as? [String: Any])?["createProduct"] as? [String: Any]
            let id = product?["id"] as? String ?? ""
            #expect(product?["slug"] as? String == "chaynik-retro")
            let publish = #"{"query":"mutation($id: ID!) { publishProduct(id: $id) { status } }","variables":{"id":"\#(id)"}}"#
            let published = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"], body: Self.json(publish))
            #expect(String(buffer: published.body).contains("PUBLISHED"))
            let read = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: Self.json(#"{"query":"{ productBySlug(slug: \"chaynik-retro\") { id price { formatted } } }"}"#))
            #expect(String(buffer: read.body).contains("2490.00 RUB"))
        }
    }
}
