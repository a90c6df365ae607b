import Caching
import EmporiumTesting
import Testing

/// What two generations guarantee (not exact LRU): an entry used since the last generation change
/// survives the next one; the newest half of the capacity is always held; an entry untouched for
/// a whole capacity's worth of writes is gone; entries and bytes stay within their bounds.
struct InMemoryCacheTests {
    @Test
    func recentlyUsedEntriesSurviveAndTheCountStaysBounded() async throws {
        let cache = InMemoryCache(maximumEntries: 10, maximumBytes: 1 << 20, clock: ManualClock())
        try await cache.set("hot", to: [1], ttl: .seconds(60))
        for index in 0..<100 {
            try await cache.set("\(index)", to: [2], ttl: .seconds(60))
            #expect(try await cache.get("hot") == [1], "read after every write: never dropped")
            #expect(cache.count <= 10)
        }
        // The newest half of the capacity is held (4 keys besides "hot"); reading them keeps them.
        for index in (96..<100).reversed() { #expect(try await cache.get("\(index)") == [2]) }
        #expect(try await cache.get("hot") == [1])
    }

    @Test
    func anEntryNotUsedForACapacityOfWritesIsDropped() async throws {
        let cache = InMemoryCache(maximumEntries: 10, maximumBytes: 1 << 20, clock: ManualClock())
        try await cache.set("cold", to: [1], ttl: .seconds(60))
        for index in 0..<4 { try await cache.set("\(index)", to: [2], ttl: .seconds(60)) }
        #expect(try await cache.get("cold") == [1], "within half the capacity it is still there")
        for index in 4..<20 { try await cache.set("\(index)", to: [2], ttl: .seconds(60)) }
        #expect(try await cache.get("cold") == nil)
        #expect(try await cache.get("19") == [2])
    }

    @Test
    func staysWithinItsByteBudget() async throws {
        let entryCost = 1 + 100 + InMemoryCache<ManualClock>.entryOverhead
        let cache = InMemoryCache(maximumEntries: 1000, maximumBytes: entryCost * 10, clock: ManualClock())
        let keys = "abcdefghijklmnopqrst".map(String.init)
        for (index, key) in keys.enumerated() {
            try await cache.set(key, to: Array(repeating: UInt8(index), count: 100), ttl: .seconds(60))
            #expect(cache.totalBytes <= entryCost * 10)
            #expect(cache.count <= 10, "the entry bound is far away: the byte budget holds the count down")
        }
        #expect(try await cache.get("t") == Array(repeating: 19, count: 100))
        #expect(try await cache.get("a") == nil)
        // Overwriting replaces the charge instead of adding to it; deleting returns it.
        let before = cache.totalBytes
        try await cache.set("t", to: [1], ttl: .seconds(60))
        #expect(cache.totalBytes == before - 99)
        try await cache.delete(["t"])
        #expect(cache.totalBytes == before - entryCost)
    }

    @Test
    func anEntryLargerThanHalfTheBudgetIsNotKeptAndReplacesTheOlderValue() async throws {
        let cache = InMemoryCache(maximumEntries: 100, maximumBytes: 1000, clock: ManualClock())
        try await cache.set("small", to: [1], ttl: .seconds(60))
        try await cache.set("k", to: [1], ttl: .seconds(60))
        let count = cache.count
        try await cache.set("huge", to: Array(repeating: 0, count: 500), ttl: .seconds(60))
        #expect(try await cache.get("huge") == nil)
        #expect(cache.count == count, "and it pushed nothing out")
        #expect(try await cache.get("small") == [1])
        // A write too large to keep still supersedes the value it overwrites.
        #expect(try await cache.set("k", to: Array(repeating: 0, count: 500), ttl: .seconds(60)))
        #expect(try await cache.get("k") == nil)
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

    @Test
    func aWriteWithoutTimeToLiveRemovesUnlessItMustNotOverwrite() async throws {
        let cache = InMemoryCache(maximumEntries: 10, maximumBytes: 1 << 20, clock: ManualClock())
        try await cache.set("k", to: [1], ttl: .seconds(10))
        #expect(try await cache.set("k", to: [2], ttl: .zero, condition: .ifAbsent) == false)
        #expect(try await cache.get("k") == [1])
        #expect(try await cache.set("k", to: [2], ttl: .zero))
        #expect(try await cache.get("k") == nil)
        #expect(cache.count == 0)
    }
}
