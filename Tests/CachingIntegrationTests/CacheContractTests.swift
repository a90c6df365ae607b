import Caching
import EmporiumTesting
import Foundation
import Redis
import Testing

/// The contract every ``Cache`` adapter must meet, run against each of them.
enum CacheBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case redis

    var testDescription: String { self.rawValue }
}

/// Runs `body` with a fresh cache of `backend` and a way to let time pass for it: the in-memory
/// cache runs on a manual clock, Redis on real time.
func withCache<T: Sendable>(
    _ backend: CacheBackend,
    _ body: (any Cache, _ advance: @Sendable (Duration) async throws -> Void) async throws -> T
) async throws -> T {
    switch backend {
    case .inMemory:
        let clock = ManualClock()
        return try await body(InMemoryCache(maximumEntries: 1000, maximumBytes: 1 << 20, clock: clock)) { clock.advance(by: $0) }
    case .redis:
        return try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                try await body(RedisCache(client: client, keyPrefix: uniquePrefix())) { try await Task.sleep(for: $0) }
            }
        }
    }
}

/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct CacheContractTests {
    @Test(arguments: CacheBackend.allCases)
    func storesReadsAndOverwrites(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, _ in
            #expect(try await cache.get("missing") == nil)
            try await cache.set("k", to: [1, 2, 3], ttl: .seconds(60))
            #expect(try await cache.get("k") == [1, 2, 3])
            try await cache.set("k", to: [0, 13, 10, 0], ttl: .seconds(60))
            #expect(try await cache.get("k") == [0, 13, 10, 0])
            try await cache.set("empty", to: [], ttl: .seconds(60))
            #expect(try await cache.get("empty") == [])
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func entriesExpireAfterTheirTTL(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, advance in
            try await cache.set("short", to: [1], ttl: .milliseconds(300))
            try await cache.set("long", to: [2], ttl: .seconds(60))
            #expect(try await cache.get("long") == [2])
            try await advance(.milliseconds(600))
            #expect(try await cache.get("short") == nil)
            #expect(try await cache.get("long") == [2])
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func deletesManyKeysAndNothingElse(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, _ in
            try await cache.set(["product:1": [1], "product:2": [2], "slug:lamp": [3], "product:3": [4]], ttl: .seconds(60))
            try await cache.delete(["product:1", "slug:lamp", "never-existed"])
            #expect(try await cache.get(["product:1", "product:2", "slug:lamp", "product:3"]) == [nil, [2], nil, [4]])
            try await cache.delete("product:2")
            #expect(try await cache.get("product:2") == nil)
            try await cache.delete([])
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func conditionalWriteOnlyFillsAbsentKeys(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, advance in
            #expect(try await cache.set("k", to: [1], ttl: .seconds(1), condition: .ifAbsent))
            #expect(try await cache.set("k", to: [2], ttl: .seconds(60), condition: .ifAbsent) == false)
            #expect(try await cache.get("k") == [1])
            try await advance(.milliseconds(1300))
            #expect(try await cache.set("k", to: [3], ttl: .seconds(60), condition: .ifAbsent), "an expired entry counts as absent")
            #expect(try await cache.get("k") == [3])
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func getManyKeepsTheOrderOfKeys(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, _ in
            try await cache.set("b", to: [2], ttl: .seconds(60))
            try await cache.set("a", to: [1], ttl: .seconds(60))
            #expect(try await cache.get(["a", "x", "b", "a"]) == [[1], nil, [2], [1]])
            #expect(try await cache.get([String]()) == [])
        }
    }

    struct Item: Codable, Equatable, Sendable {
        var id: Int
        var tags: [String]
    }

    @Test(arguments: CacheBackend.allCases)
    func storesCodableValues(_ backend: CacheBackend) async throws {
        try await withCache(backend) { cache, _ in
            let item = Item(id: 7, tags: ["a", "b"])
            try await cache.set("item:7", encoding: item, ttl: .seconds(60))
            let read = try await cache.get("item:7", as: Item.self)
            #expect(read == item)
            let missing = try await cache.get("item:8", as: Item.self)
            #expect(missing == nil)
        }
    }
}
