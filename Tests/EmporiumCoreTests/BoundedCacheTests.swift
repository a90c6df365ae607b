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

    @Test func aValueTheCallerRejectsOnReadIsDroppedAndCountsAsAMiss() {
        let cache = BoundedCache<String, Int>(maximumEntries: 10, maximumBytes: 1000)
        cache.store(1, for: "a", bytes: 10)
        #expect(cache.value(for: "a", where: { $0 == 1 }) == 1)
        #expect(cache.value(for: "a", where: { $0 == 2 }) == nil)
        #expect(cache.value(for: "a") == nil, "the rejected value was removed")
        let statistics = cache.statistics
        #expect((statistics.hits, statistics.misses, statistics.entries, statistics.bytes) == (1, 2, 0, 0))
    }

    @Test func aConditionalStoreKeepsAnAcceptedValueAndReplacesARejectedOne() {
        let cache = BoundedCache<String, Int>(maximumEntries: 4, maximumBytes: 1000)
        #expect(cache.store(1, for: "a", bytes: 10, unless: { _ in true }), "nothing held: stored")
        #expect(cache.store(2, for: "a", bytes: 10, unless: { $0 == 1 }) == false)
        #expect(cache.value(for: "a") == 1)
        #expect(cache.store(3, for: "a", bytes: 20, unless: { $0 == 2 }))
        #expect(cache.value(for: "a") == 3)
        #expect(cache.statistics.bytes == 20)
        // The same when the held value is in the older generation.
        for key in ["b", "c", "d"] { cache.store(0, for: key, bytes: 10) }
        #expect(cache.store(4, for: "a", bytes: 10, unless: { $0 == 3 }) == false)
        #expect(cache.store(4, for: "a", bytes: 10, unless: { $0 == 0 }))
        #expect(cache.value(for: "a") == 4)
        #expect(cache.statistics.entries <= 4)
    }

    @Test func aConditionalRemoveKeepsAnAcceptedValue() {
        let cache = BoundedCache<String, Int>(maximumEntries: 10, maximumBytes: 1000)
        cache.store(1, for: "a", bytes: 10)
        #expect(cache.removeValue(for: "a", unless: { $0 == 1 }) == false)
        #expect(cache.value(for: "a") == 1)
        #expect(cache.removeValue(for: "a", unless: { $0 == 2 }))
        #expect(cache.value(for: "a") == nil)
        #expect(cache.removeValue(for: "never", unless: { _ in true }), "nothing held: nothing to keep")
    }

    @Test func aValueTooLargeToKeepStillReplacesTheHeldOne() {
        let cache = BoundedCache<String, Int>(maximumEntries: 10, maximumBytes: 1000)
        cache.store(1, for: "a", bytes: 10)
        cache.store(2, for: "a", bytes: 501)
        #expect(cache.value(for: "a") == nil, "the older value must not be served in its place")
        #expect(cache.statistics.bytes == 0)
    }
}
