import EmporiumCore
import Testing

@Suite struct BoundedCacheTests {
    @Test func entriesAreBoundedAndRecentOnesSurvive() {
        let cache = BoundedCache<Int, String>(maximumEntries: 100, maximumBytes: 1 << 20)
        for key in 0..<1000 {
            cache.store("v\(key)", for: key, bytes: 10)
            // Key 0 is read all along: hits promote it, so it is never dropped.
            #expect(cache.value(for: 0) == "v0")
        }
        #expect(cache.statistics.entries <= 100)
        #expect(cache.value(for: 999) == "v999")
        #expect(cache.value(for: 500) == nil)
    }

    @Test func bytesAreBoundedWhateverTheEntryCount() {
        let cache = BoundedCache<Int, Int>(maximumEntries: 1_000_000, maximumBytes: 10_000)
        for key in 0..<10_000 { cache.store(key, for: key, bytes: 900) }
        #expect(cache.statistics.bytes <= 10_000)
        #expect(cache.value(for: 9_999) == 9_999)
        // More than half the budget in one entry: not kept, and nothing else is pushed out.
        cache.store(-1, for: -1, bytes: 5_001)
        #expect(cache.value(for: -1) == nil)
        #expect(cache.value(for: 9_999) == 9_999)
    }

    @Test func replacingAndRemovingKeepTheAccountsRight() {
        let cache = BoundedCache<String, Int>(maximumEntries: 10, maximumBytes: 1000)
        cache.store(1, for: "a", bytes: 100)
        cache.store(2, for: "a", bytes: 50)
        #expect(cache.value(for: "a") == 2)
        #expect(cache.statistics.bytes == 50)
        cache.removeValue(for: "a")
        #expect(cache.value(for: "a") == nil)
        let statistics = cache.statistics
        #expect((statistics.hits, statistics.misses, statistics.entries, statistics.bytes) == (1, 1, 0, 0))
        cache.store(3, for: "b", bytes: 10)
        cache.removeAll()
        #expect(cache.statistics.entries == 0)
    }
}
