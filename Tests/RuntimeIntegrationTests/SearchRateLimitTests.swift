import Catalog
import EmporiumCore
import CatalogTesting
import EmporiumTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import RateLimiting
import Redis
import Runtime
import Testing

/// The search rate limit at the edge: GraphQL answers RATE_LIMITED, REST answers 429, both with
/// `Retry-After` and `RateLimit-*`; with Redis, several nodes enforce one combined limit.
@Suite struct SearchRateLimitTests {
    static let query = #"{"query":"{ searchProducts(query: \"kettle\") { edges { cursor } } }"}"#

    func withApps(
        limiters: [any RateLimiter], limit: RateLimit,
        _ body: @Sendable ([any TestClientProtocol], TokenService) async throws -> Void
    ) async throws {
        let fixture = try await CatalogFixture.make("ratelimit")
        try await fixture.run { _, client in
            let logger = Logger(label: "test.ratelimit")
            let tokens = try await TokenService(keys: .hmacSHA256(secret: testJWTSecret))
            var configuration = RuntimeConfiguration()
            configuration.environment["EMPORIUM_SEARCH_RATE_LIMIT"] = "\(limit.limit)/\(limit.window.components.seconds)s"
            var apps: [Application<RouterResponder<EmporiumRequestContext>>] = []
            for limiter in limiters {
                apps.append(Application(router: try await EmporiumApplication.router(
                    postgres: client, tokens: tokens, registry: nil, poolSize: 10, configuration: configuration,
                    rateLimiter: limiter, internalCredential: testInternalCredential, logger: logger
                )))
            }
            try await Self.withClients(apps[...], collected: []) { clients in try await body(clients, tokens) }
        }
    }

    /// Nested test clients, one per app, all alive at once.
    static func withClients(
        _ apps: ArraySlice<Application<RouterResponder<EmporiumRequestContext>>>, collected: [any TestClientProtocol],
        _ body: @Sendable ([any TestClientProtocol]) async throws -> Void
    ) async throws {
        guard let app = apps.first else { return try await body(collected) }
        try await app.test(.router) { client in
            try await withClients(apps.dropFirst(), collected: collected + [client], body)
        }
    }

    static func post(_ client: any TestClientProtocol, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: query))
    }

    @Test func graphQLSearchIsLimitedPerClientWithHeaders() async throws {
        try await withApps(limiters: [InMemoryRateLimiter(clock: ContinuousClock())], limit: RateLimit(limit: 3, window: .seconds(60))) { clients, tokens in
            let client = clients[0]
            for remaining in [2, 1, 0] {
                let response = try await Self.post(client)
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("RATE_LIMITED"))
                #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "3")
                #expect(response.headers[HTTPField.Name("RateLimit-Remaining")!] == "\(remaining)")
            }
            let limited = try await Self.post(client)
            #expect(String(buffer: limited.body).contains(#""code":"RATE_LIMITED""#))
            #expect(Int(limited.headers[HTTPField.Name("Retry-After")!] ?? "") ?? 0 >= 1)
            #expect(limited.headers[HTTPField.Name("RateLimit-Remaining")!] == "0")
            // Another client (a signed-in user) has its own budget.
            let token = try await tokens.issue(userID: UserID("searcher"), roles: [.buyer])
            let other = try await Self.post(client, token: token)
            #expect(!String(buffer: other.body).contains("RATE_LIMITED"))
            #expect(other.headers[HTTPField.Name("RateLimit-Remaining")!] == "2")
        }
    }

    @Test func restSearchAnswers429OverTheLimitAnd400ForBadInput() async throws {
        try await withApps(limiters: [InMemoryRateLimiter(clock: ContinuousClock())], limit: RateLimit(limit: 2, window: .seconds(60))) { clients, _ in
            let client = clients[0]
            let ok = try await client.execute(uri: "/api/products/search?q=kettle&first=5", method: .get)
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body).contains(#""items":[]"#))
            #expect(ok.headers[HTTPField.Name("RateLimit-Remaining")!] == "1")
            #expect(ok.headers[HTTPField.Name("Emporium-Request-Id")!]?.count == 36)
            let bad = try await client.execute(uri: "/api/products/search", method: .get)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("'q'"))
            let limited = try await client.execute(uri: "/api/products/search?q=kettle", method: .get)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[HTTPField.Name("Retry-After")!] != nil)
            #expect(String(buffer: limited.body).contains("RATE_LIMITED"))
        }
    }

    /// Two nodes sharing one Redis: requests alternate between them; exactly the limit succeeds.
    @Test(.timeLimit(.minutes(1))) func nodesSharingRedisEnforceOneLimit() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { first in
                try await withRedisClient(server.configuration) { second in
                    let prefix = "ratelimit:\(UUID().uuidString.prefix(8)):"
                    let limiters: [any RateLimiter] = [
                        RedisRateLimiter(client: first, keyPrefix: prefix),
                        RedisRateLimiter(client: second, keyPrefix: prefix),
                    ]
                    try await withApps(limiters: limiters, limit: RateLimit(limit: 5, window: .seconds(60))) { clients, _ in
                        var allowed = 0
                        for attempt in 0..<12 {
                            let response = try await Self.post(clients[attempt % 2])
                            if !String(buffer: response.body).contains("RATE_LIMITED") { allowed += 1 }
                        }
                        #expect(allowed == 5)
                    }
                }
            }
        }
    }
}
