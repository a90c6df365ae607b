import EmporiumTesting
import Foundation
import Logging
import Redis
import Synchronization
import Testing
@testable import Caching

struct Product: Codable, Sendable, Equatable {
    var id: Int
    var name: String
}

/// Counts loads and can hold a load open until told to finish.
final class Loader: Sendable {
    let loads = Tally()
    private let result: Mutex<Product?>

    init(_ result: Product?) { self.result = Mutex(result) }

    func set(_ product: Product?) { self.result.withLock { $0 = product } }

    func load() async throws -> Product? {
        self.loads.increment()
        return self.result.withLock { $0 }
    }

    var count: Int { self.loads.count }
}

extension ReadThroughCache where Value == Product {
    /// Reads through `loader` (a helper: `#expect` cannot hold a closure that throws).
    func read(_ key: String, _ loader: Loader) async throws -> Product? {
        try await self.value(forKey: key) { try await loader.load() }
    }
}

/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct ReadThroughCacheTests {
    let metrics = TestMetrics()

    func counters(_ name: String) -> (hits: Int64, misses: Int64, errors: Int64) {
        (
            self.metrics.counter("cache_hits_total", [("cache", name)]),
            self.metrics.counter("cache_misses_total", [("cache", name)]),
            self.metrics.counter("cache_errors_total", [("cache", name)])
        )
    }

    @Test(arguments: CacheBackend.allCases)
    func concurrentMissesLoadOnceThenHit(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, _ in
            let name = uniquePrefix()
            let products = ReadThroughCache<Product>(name: name, cache: cache, metricsFactory: self.metrics)
            let lamp = Product(id: 1, name: "Lamp")
            let loads = Tally()
            let callers = 20
            let results = try await withThrowingTaskGroup(of: Product?.self) { group in
                for _ in 0..<callers {
                    group.addTask {
                        try await products.value(forKey: "product:1") {
                            loads.increment()
                            let deadline = ContinuousClock.now + .seconds(10)
                            while products.flights.followerCount(for: "product:1") < callers - 1, ContinuousClock.now < deadline {
                                try await Task.sleep(for: .milliseconds(1))
                            }
                            return lamp
                        }
                    }
                }
                return try await group.reduce(into: [Product?]()) { $0.append($1) }
            }
            #expect(loads.count == 1, "N concurrent misses cause one load")
            #expect(results == Array(repeating: lamp, count: callers))
            let again = try await products.value(forKey: "product:1") {
                Issue.record("must be served from the cache")
                return nil
            }
            #expect(again == lamp)
            let counts = self.counters(name)
            #expect(counts.misses == Int64(callers))
            #expect(counts.hits == 1)
            #expect(counts.errors == 0)
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func cachesAbsenceForTheNegativeTTLOnly(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, advance in
            let loader = Loader(nil)
            let negative = ReadThroughCache<Product>(name: uniquePrefix(), cache: cache,
                                                     policy: CachePolicy(ttl: .seconds(60), jitter: 0, negativeTTL: .seconds(1)))
            #expect(try await negative.read("slug:unknown", loader) == nil)
            #expect(try await negative.read("slug:unknown", loader) == nil)
            #expect(loader.count == 1, "absence was cached")
            try await advance(.milliseconds(1300))
            loader.set(Product(id: 9, name: "Now exists"))
            #expect(try await negative.read("slug:unknown", loader) == Product(id: 9, name: "Now exists"))
            #expect(loader.count == 2)

            let noNegative = ReadThroughCache<Product>(name: uniquePrefix(), cache: cache, policy: CachePolicy(negativeTTL: nil))
            let absent = Loader(nil)
            _ = try await noNegative.read("slug:other", absent)
            _ = try await noNegative.read("slug:other", absent)
            #expect(absent.count == 2)
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func invalidationDropsExactlyTheGivenKeys(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, advance in
            let products = ReadThroughCache<Product>(name: uniquePrefix(), cache: cache,
                                                     policy: CachePolicy(invalidationHold: .milliseconds(300)))
            let one = Loader(Product(id: 1, name: "Lamp"))
            let two = Loader(Product(id: 2, name: "Desk"))
            _ = try await products.read("product:1", one)
            _ = try await products.read("product:2", two)
            one.set(Product(id: 1, name: "Lamp v2"))
            try await products.invalidate(["product:1"])
            #expect(try await products.read("product:1", one) == Product(id: 1, name: "Lamp v2"))
            #expect(try await products.read("product:2", two) == Product(id: 2, name: "Desk"))
            #expect(two.count == 1, "other entries survive an invalidation")
            // While the hold lasts, reads load but do not fill; afterwards the cache fills again.
            try await advance(.milliseconds(600))
            _ = try await products.read("product:1", one)
            let loadsBefore = one.count
            #expect(try await products.read("product:1", one) == Product(id: 1, name: "Lamp v2"))
            #expect(one.count == loadsBefore, "filled again after the hold")
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func aSlowLoadCannotPutBackAnInvalidatedValue(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, _ in
            let products = ReadThroughCache<Product>(name: uniquePrefix(), cache: cache)
            // A load reads the old row; the mutation commits and invalidates before the load writes.
            let stale = try await products.value(forKey: "product:7") {
                try await products.invalidate(["product:7"])
                return Product(id: 7, name: "old")
            }
            #expect(stale == Product(id: 7, name: "old"), "the caller that loaded still gets what it read")
            let fresh = try await products.value(forKey: "product:7") { Product(id: 7, name: "new") }
            #expect(fresh == Product(id: 7, name: "new"), "the stale value was not cached")
        }
    }

    @Test
    func ttlJitterSpreadsExpiryWithinBounds() {
        let policy = CachePolicy(ttl: .seconds(100), jitter: 0.1)
        let samples = (0..<500).map { _ in policy.jittered(policy.ttl) }
        #expect(samples.allSatisfy { $0 >= .seconds(90) && $0 <= .seconds(110) })
        #expect(Set(samples.map { $0.components.seconds }).count > 5, "entries do not all expire together")
        #expect(CachePolicy(ttl: .seconds(5), jitter: 0).jittered(.seconds(5)) == .seconds(5))
    }

    @Test
    func jitteredTTLIsWhatRedisStores() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                let prefix = uniquePrefix()
                let products = ReadThroughCache<Product>(name: prefix, cache: RedisCache(client: client, keyPrefix: prefix),
                                                         policy: CachePolicy(ttl: .seconds(100), jitter: 0.2))
                var ttls: [Int] = []
                for id in 0..<10 {
                    _ = try await products.value(forKey: "p:\(id)") { Product(id: id, name: "x") }
                    ttls.append(try await client.send(command: "PTTL", arguments: [RESPArgument(prefix + "p:\(id)")]).int ?? -1)
                }
                #expect(ttls.allSatisfy { $0 > 79_000 && $0 <= 120_000 }, "PTTLs: \(ttls)")
                #expect(Set(ttls).count > 1)
            }
        }
    }

    @Test
    func redisOutageFallsBackToTheLoaderAndCountsErrors() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { (client: RedisClient) async throws -> Void in
                let name = uniquePrefix()
                let products = ReadThroughCache<Product>(name: name, cache: RedisCache(client: client, keyPrefix: name), metricsFactory: self.metrics)
                let loader = Loader(Product(id: 3, name: "Chair"))
                #expect(try await products.read("product:3", loader) == Product(id: 3, name: "Chair"))
                await server.stop(removeDirectory: false)
                // Every read during the outage is answered from the loader, never an error.
                for _ in 0..<5 {
                    #expect(try await products.read("product:3", loader) == Product(id: 3, name: "Chair"))
                }
                #expect(self.counters(name).errors >= 5)
                #expect(loader.count >= 5)
                let error = await #expect(throws: RedisError.self) { try await products.invalidate(["product:3"]) }
                #expect(error?.code == .connectionUnavailable)
            }
        }
    }

    @Test
    func twoNodesSharingRedisNeverServeAValueInvalidatedElsewhere() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { nodeA in
                try await withRedisClient(server.configuration) { nodeB in
                    let prefix = uniquePrefix()
                    let cacheA = ReadThroughCache<Product>(name: prefix + "a", cache: RedisCache(client: nodeA, keyPrefix: prefix))
                    let cacheB = ReadThroughCache<Product>(name: prefix + "b", cache: RedisCache(client: nodeB, keyPrefix: prefix))
                    let database = Loader(Product(id: 5, name: "v1"))
                    #expect(try await cacheB.read("product:5", database)?.name == "v1")
                    database.set(Product(id: 5, name: "v2"))
                    try await cacheA.invalidate(["product:5"])
                    #expect(try await cacheB.read("product:5", database)?.name == "v2")
                }
            }
        }
    }
}
