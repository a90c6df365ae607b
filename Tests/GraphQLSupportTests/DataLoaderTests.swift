import GraphQLSupport
import Synchronization
import Testing

@Suite struct DataLoaderTests {
    final class Calls: Sendable {
        let batches = Mutex<[[Int]]>([])
        var all: [[Int]] { batches.withLock { $0 } }
    }

    @Test func loadManyAsksForTheUnknownKeysInOneBatchAtOnce() async throws {
        struct Refused: Error {}
        let calls = Calls()
        let failing = Mutex(true)
        let loader = DataLoader<Int, String> { keys in
            calls.batches.withLock { $0.append(keys.sorted()) }
            if failing.withLock({ $0 }) { throw Refused() }
            return Dictionary(uniqueKeysWithValues: keys.filter { $0 != 13 }.map { ($0, "v\($0)") })
        }
        await #expect(throws: Refused.self) { try await loader.loadMany([1, 2]) }
        failing.withLock { $0 = false }
        #expect(try await loader.loadMany([1, 2]) == [1: "v1", 2: "v2"], "a failed batch is not cached")
        let values = try await loader.loadMany(Array(0..<50) + [13, 13])
        #expect(values.count == 49 && values[13] == nil && values[49] == "v49")
        #expect(calls.all == [[1, 2], [1, 2], Array(0..<50).filter { $0 != 1 && $0 != 2 }], "known keys are not asked again")
        #expect(try await loader.load(40) == "v40")
        #expect(calls.all.count == 3)
    }

    @Test func concurrentLoadsBecomeOneBatch() async throws {
        let calls = Calls()
        let loader = DataLoader<Int, String> { keys in
            calls.batches.withLock { $0.append(keys.sorted()) }
            return Dictionary(uniqueKeysWithValues: keys.filter { $0 != 13 }.map { ($0, "v\($0)") })
        }
        let values = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for key in 0..<50 { group.addTask { (key, try await loader.load(key % 25)) } }
            var values: [Int: String?] = [:]
            for try await (key, value) in group { values[key] = value }
            return values
        }
        #expect(calls.all.count == 1)
        #expect(calls.all.first == Array(0..<25))
        #expect(values[7] == "v7")
        #expect(values[13] == .some(nil))
        // Cached: a second load does not call the batch function again.
        #expect(try await loader.load(7) == "v7")
        #expect(calls.all.count == 1)
    }

    @Test func primedValuesSkipTheBatch() async throws {
        let calls = Calls()
        let loader = DataLoader<Int, String> { keys in
            calls.batches.withLock { $0.append(keys) }
            return [:]
        }
        await loader.prime(1, "primed")
        #expect(try await loader.load(1) == "primed")
        #expect(calls.all.isEmpty)
    }

    struct Boom: Error {}

    @Test func failuresReachEveryWaiterAndAreNotCached() async throws {
        let attempts = Mutex(0)
        let loader = DataLoader<Int, Int> { keys in
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt == 1 { throw Boom() }
            return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 * 2) })
        }
        await #expect(throws: Boom.self) { try await loader.load(1) }
        #expect(try await loader.load(1) == 2)
    }

    @Test func aBatchInFlightIsJoinedNotRepeated() async throws {
        let calls = Calls()
        let loader = DataLoader<Int, String> { keys in
            calls.batches.withLock { $0.append(keys.sorted()) }
            if keys.contains(1) { try await Task.sleep(for: .milliseconds(200)) }
            return Dictionary(uniqueKeysWithValues: keys.map { ($0, "v\($0)") })
        }
        async let first = loader.loadMany([1, 2])
        try await Task.sleep(for: .milliseconds(50))
        let second = try await loader.loadMany([2, 3])
        #expect(second == [2: "v2", 3: "v3"])
        #expect(try await first == [1: "v1", 2: "v2"])
        #expect(calls.all == [[1, 2], [3]], "key 2 waited for the batch already asking for it")
        #expect(try await loader.loadMany([1, 2, 3]).count == 3)
        #expect(calls.all.count == 2)
    }
}
