import Caching
import EmporiumTesting
import Testing

struct InMemoryCacheTests {
    @Test
    func evictsTheLeastRecentlyUsedEntryWhenFull() async throws {
        let cache = InMemoryCache(maximumEntries: 3, maximumBytes: 1 << 20, clock: ManualClock())
        for key in ["a", "b", "c"] { try await cache.set(key, to: [1], ttl: .seconds(60)) }
        _ = try await cache.get("a")
        try await cache.set("d", to: [1], ttl: .seconds(60))
        #expect(try await cache.get("b") == nil, "b was least recently used")
        #expect(try await cache.get("a") == [1])
        #expect(try await cache.get("c") == [1])
        #expect(try await cache.get("d") == [1])
        #expect(cache.count == 3)
    }

    @Test
    func staysWithinItsByteBudget() async throws {
        let entryCost = 1 + 100 + InMemoryCache<ManualClock>.entryOverhead
        let cache = InMemoryCache(maximumEntries: 1000, maximumBytes: entryCost * 5, clock: ManualClock())
        for index in 0..<10 {
            try await cache.set("\(index)", to: Array(repeating: UInt8(index), count: 100), ttl: .seconds(60))
            #expect(cache.totalBytes <= entryCost * 5)
        }
        #expect(cache.count == 5)
        #expect(try await cache.get("4") == nil)
        #expect(try await cache.get("5") == Array(repeating: 5, count: 100))
        // A value larger than the whole budget is not stored and evicts nothing.
        try await cache.set("huge", to: Array(repeating: 0, count: entryCost * 6), ttl: .seconds(60))
        #expect(try await cache.get("huge") == nil)
        #expect(cache.count == 5)
        // Overwriting replaces the charge instead of adding to it.
        try await cache.set("9", to: [1], ttl: .seconds(60))
        #expect(cache.totalBytes == entryCost * 4 + 1 + 1 + InMemoryCache<ManualClock>.entryOverhead)
        try await cache.delete(["9", "8"])
        #expect(cache.totalBytes == entryCost * 3)
    }

    @Test
    func expiryUsesTheInjectedClock() async throws {
        let clock = ManualClock()
        let cache = InMemoryCache(maximumEntries: 10, maximumBytes: 1 << 20, clock: clock)
        try await cache.set("k", to: [1], ttl: .seconds(10))
        clock.advance(by: .seconds(9))
        #expect(try await cache.get("k") == [1])
        clock.advance(by: .seconds(1))
        #expect(try await cache.get("k") == nil)
        #expect(cache.count == 0, "an expired entry is dropped when touched")
    }
}
