import Caching
@testable import Catalog
import EmporiumCore
import CatalogTesting
import EmporiumTesting
import Foundation
import Logging
import Redis
import Testing
import Synchronization

/// The product cache against a real PostgreSQL, with the in-memory cache and with Redis.
@Suite struct CachedProductStoreTests {
    struct Node: Sendable {
        let catalog: ProductCatalog
        let counting: CountingStores
    }

    /// One database; each node has its own cached store over `cache` (shared when it is Redis).
    func withNodes(_ caches: [any Cache], _ body: @Sendable ([Node]) async throws -> Void) async throws {
        let fixture = try await CatalogFixture.make("cache")
        try await fixture.run { _, client in
            let logger = Logger(label: "test.cache")
            let nodes = caches.map { cache in
                let postgres = PostgresProductStore(client: client, logger: logger)
                let categories = PostgresCategoryStore(client: client, logger: logger)
                let counting = CountingStores(products: postgres, categories: categories)
                let cached = CachedProductStore(inner: counting, cache: cache, policy: CachePolicy(ttl: .seconds(300), jitter: 0.1, negativeTTL: .seconds(30), invalidationHold: .milliseconds(1)), logger: logger)
                return Node(catalog: ProductCatalog(products: cached, categories: counting, search: PostgresSearchIndex(client: client, logger: logger)), counting: counting)
            }
            try await body(nodes)
        }
    }

    static func memory() -> any Cache { InMemoryCache(maximumEntries: 1000, maximumBytes: 1 << 24, clock: ContinuousClock()) }

    func reads(_ node: Node) -> Int { node.counting.calls.withLock { $0.filter { $0.hasPrefix("product") }.count } }

    @Test func readsAreServedFromTheCacheAndChangesInvalidateOnlyTheirProduct() async throws {
        try await withNodes([Self.memory()]) { nodes in
            let catalog = nodes[0].catalog
            let kettle = try await newProduct(catalog, title: "Kettle")
            let lamp = try await newProduct(catalog, title: "Lamp")
            for product in [kettle, lamp] { _ = try await catalog.product(id: product.id, viewer: TestUsers.seller) }
            nodes[0].counting.reset()
            _ = try await catalog.product(id: kettle.id, viewer: TestUsers.seller)
            _ = try await catalog.product(slug: "lamp", viewer: TestUsers.seller)
            #expect(reads(nodes[0]) == 1, "only the slug → id lookup; products came from the cache")
            _ = try await catalog.updateProduct(id: kettle.id, expectedVersion: 1, changes: ProductFieldsInput(title: "Steel Kettle"), by: TestUsers.seller)
            nodes[0].counting.reset()
            // The lamp's entry survived the kettle's invalidation.
            _ = try await catalog.product(id: lamp.id, viewer: TestUsers.seller)
            #expect(reads(nodes[0]) == 0)
            // The kettle is read again, with its new title under both slugs.
            #expect(try await catalog.product(id: kettle.id, viewer: TestUsers.seller).title == "Steel Kettle")
            #expect(try await catalog.product(slug: "kettle", viewer: TestUsers.seller).title == "Steel Kettle")
            #expect(try await catalog.product(slug: "steel-kettle", viewer: TestUsers.seller).title == "Steel Kettle")
        }
    }

    @Test func concurrentMissesCauseOneDatabaseRead() async throws {
        try await withNodes([Self.memory()]) { nodes in
            let product = try await newProduct(nodes[0].catalog, title: "Popular")
            nodes[0].counting.reset()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<30 {
                    group.addTask { _ = try await nodes[0].catalog.product(id: product.id, viewer: TestUsers.seller) }
                }
                try await group.waitForAll()
            }
            #expect(reads(nodes[0]) == 1)
        }
    }

    @Test func unknownSlugsAreCachedBrieflyAndACreatedProductIsFoundAtOnce() async throws {
        try await withNodes([Self.memory()]) { nodes in
            let catalog = nodes[0].catalog
            for _ in 0..<3 {
                await #expect(throws: EmporiumError.self) { try await catalog.product(slug: "future-thing", viewer: TestUsers.seller) }
            }
            #expect(reads(nodes[0]) == 1)
            _ = try await newProduct(catalog, title: "Future Thing")
            #expect(try await catalog.product(slug: "future-thing", viewer: TestUsers.seller).title == "Future Thing")
        }
    }

    /// Node A changes a product; node B, which had it cached in the shared Redis, never serves
    /// the old version afterwards.
    @Test(.timeLimit(.minutes(1))) func nodesSharingRedisNeverServeAChangedProductStale() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { first in
                try await withRedisClient(server.configuration) { second in
                    let prefix = "cache:\(UUID().uuidString.prefix(8)):"
                    try await withNodes([RedisCache(client: first, keyPrefix: prefix), RedisCache(client: second, keyPrefix: prefix)]) { nodes in
                        let (a, b) = (nodes[0].catalog, nodes[1].catalog)
                        let product = try await newProduct(a, title: "Shared Lamp")
                        #expect(try await b.product(id: product.id, viewer: TestUsers.seller).title == "Shared Lamp")
                        for version in 1...5 {
                            _ = try await a.updateProduct(id: product.id, expectedVersion: version, changes: ProductFieldsInput(description: "v\(version + 1)"), by: TestUsers.seller)
                            #expect(try await b.product(id: product.id, viewer: TestUsers.seller).description == "v\(version + 1)")
                        }
                    }
                }
            }
        }
    }

    /// Redis down: every read still answers, from the database.
    @Test(.timeLimit(.minutes(1))) func readsFallBackToTheDatabaseWhenRedisIsDown() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                try await withNodes([RedisCache(client: client, keyPrefix: "cache:down:")]) { nodes in
                    let product = try await newProduct(nodes[0].catalog, title: "Resilient")
                    await server.stop(removeDirectory: false)
                    #expect(try await nodes[0].catalog.product(id: product.id, viewer: TestUsers.seller).title == "Resilient")
                    #expect(try await nodes[0].catalog.product(slug: "resilient", viewer: TestUsers.seller).id == product.id)
                }
            }
        }
    }
}
