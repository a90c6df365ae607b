import Caching
import Logging
import NIOCore
import Synchronization
import Testing

@Suite struct ResponseCacheTests {
    let logger = Logger(label: "test")
    let key = ResponseCache.Key(operationName: nil, query: "query($s: String!) { productBySlug(slug: $s) { title } }", variables: #"{"s":"lamp"}"#)

    func queryKey(_ query: String) -> ResponseCache.Key {
        ResponseCache.Key(operationName: nil, query: query, variables: "")
    }

    func miss(_ lookup: ResponseCache.Lookup, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> UInt64? {
        guard case .miss(let position) = lookup else {
            Issue.record("expected a miss", sourceLocation: sourceLocation)
            return nil
        }
        return position
    }

    func hit(_ lookup: ResponseCache.Lookup) -> String? {
        guard case .hit(let body, _) = lookup else { return nil }
        return String(buffer: body)
    }

    @Test func servesAStoredAnswerUntilOneOfItsTagsChanges() async throws {
        let tags = InMemoryTagInvalidation(hold: .milliseconds(1))
        let cache = ResponseCache(invalidation: tags, logger: logger)
        let position = try #require(miss(await cache.lookup(key)))
        try await Task.sleep(for: .milliseconds(5))
        await cache.store(key, body: ByteBuffer(string: #"{"data":1}"#), tags: ["product:1", "stock:1"], maxAge: .seconds(60), since: position)
        #expect(hit(await cache.lookup(key)) == #"{"data":1}"#)
        tags.invalidate(["stock:2"])
        #expect(hit(await cache.lookup(key)) == #"{"data":1}"#, "another product's stock changed")
        tags.invalidate(["stock:1"])
        _ = miss(await cache.lookup(key))
        #expect(cache.count == 0, "the stale entry is dropped")
    }

    @Test func doesNotStoreAnAnswerWhoseTagsChangedWhileItWasComputed() async throws {
        let tags = InMemoryTagInvalidation(hold: .milliseconds(1))
        let cache = ResponseCache(invalidation: tags, logger: logger)
        let position = try #require(miss(await cache.lookup(key)))
        tags.invalidate(["product:1"])  // a change commits while the answer is computed
        try await Task.sleep(for: .milliseconds(5))
        await cache.store(key, body: ByteBuffer(string: "old"), tags: ["product:1"], maxAge: .seconds(60), since: position)
        _ = miss(await cache.lookup(key))
        #expect(cache.count == 0)
    }

    /// The event loop's lookup: a hit only when the tag store is in memory and the answer is
    /// current; anything else is left to `lookup`.
    @Test func anImmediateHitNeedsALocalTagStoreAndACurrentAnswer() async throws {
        let tags = InMemoryTagInvalidation(hold: .milliseconds(1))
        let cache = ResponseCache(invalidation: tags, logger: logger)
        #expect(cache.immediateHit(key) == nil, "nothing stored")
        let position = try #require(miss(await cache.lookup(key)))
        try await Task.sleep(for: .milliseconds(5))
        await cache.store(key, body: ByteBuffer(string: "lamp"), tags: ["product:1"], maxAge: .seconds(60), since: position)
        #expect(cache.immediateHit(key).map { String(buffer: $0.body) } == "lamp")
        #expect(cache.immediateHit(queryKey("{ other }")) == nil)
        tags.invalidate(["product:1"])
        #expect(cache.immediateHit(key) == nil, "stale")

        // The same answer behind a tag store that must be asked (Redis): never at once.
        let remote = ResponseCache(invalidation: AskedTags(), logger: logger)
        let remotePosition = try #require(miss(await remote.lookup(key)))
        await remote.store(key, body: ByteBuffer(string: "lamp"), tags: ["product:1"], maxAge: .seconds(60), since: remotePosition)
        #expect(hit(await remote.lookup(key)) == "lamp")
        #expect(remote.immediateHit(key) == nil)
    }

    /// A tag store that answers only when awaited, as Redis's does; nothing ever changes.
    struct AskedTags: TagInvalidation {
        func position() async throws -> UInt64 { 1 }
        func isCurrent(_ tags: [String], since position: UInt64) async throws -> Bool { true }
        func mayStore(_ tags: [String], since position: UInt64) async throws -> Bool { true }
        func invalidate(_ tags: [String]) async throws {}
        var retention: Duration { .seconds(600) }
    }

    /// Time that moves only when stepped, so a hit cannot depend on how busy the machine is.
    final class SteppedTime: Sendable {
        private let start = ContinuousClock.now
        private let offset = Mutex(Duration.zero)
        func now() -> ContinuousClock.Instant { start + offset.withLock { $0 } }
        func step(_ duration: Duration) { offset.withLock { $0 += duration } }
    }

    @Test func answersExpireAfterTheirMaximumAge() async throws {
        let time = SteppedTime()
        let cache = ResponseCache(invalidation: InMemoryTagInvalidation(hold: .milliseconds(1)), now: time.now, logger: logger)
        let position = try #require(miss(await cache.lookup(key)))
        try await Task.sleep(for: .milliseconds(5))  // past the tag store's 1 ms hold (its own real clock)
        await cache.store(key, body: ByteBuffer(string: "x"), tags: [], maxAge: .seconds(60), since: position)
        #expect(hit(await cache.lookup(key)) == "x")
        time.step(.seconds(60) - .milliseconds(1))
        #expect(hit(await cache.lookup(key)) == "x", "still within its 60 s")
        time.step(.milliseconds(1))
        _ = miss(await cache.lookup(key))
        #expect(cache.count == 0, "the expired entry is dropped")
    }

    /// A tag store that is down (Redis unreachable).
    struct UnreachableTags: TagInvalidation {
        struct Down: Error {}
        var retention: Duration { .seconds(600) }
        func position() async throws -> UInt64 { throw Down() }
        func isCurrent(_ tags: [String], since position: UInt64) async throws -> Bool { throw Down() }
        func mayStore(_ tags: [String], since position: UInt64) async throws -> Bool { throw Down() }
        func invalidate(_ tags: [String]) async throws { throw Down() }
    }

    @Test func withTheTagStoreDownNothingIsServedOrStored() async throws {
        let cache = ResponseCache(invalidation: UnreachableTags(), logger: logger)
        #expect(miss(await cache.lookup(key)) == nil, "no position: the answer must not be stored")
        await cache.store(key, body: ByteBuffer(string: "x"), tags: [], maxAge: .seconds(60), since: 0)
        #expect(cache.count == 0)
    }

    @Test func theKeyIsTheOperationNameTheTextAndTheVariables() {
        let key = ResponseCache.Key(operationName: "Op", query: "q", variables: #"{"a":1}"#)
        #expect(key == ResponseCache.Key(operationName: "Op", query: "q", variables: #"{"a":1}"#))
        #expect(key != ResponseCache.Key(operationName: "Other", query: "q", variables: #"{"a":1}"#))
        #expect(key != ResponseCache.Key(operationName: nil, query: "q", variables: #"{"a":1}"#))
        #expect(key != ResponseCache.Key(operationName: "Op", query: "q ", variables: #"{"a":1}"#))
        #expect(key != ResponseCache.Key(operationName: "Op", query: "q", variables: #"{"a":2}"#))
    }

    @Test func memoryStaysWithinItsBudgetAndLargeAnswersAreNotKept() async throws {
        let cache = ResponseCache(invalidation: InMemoryTagInvalidation(hold: .milliseconds(1)), maximumBytes: 40_000, maximumEntryBytes: 5_000, logger: logger)
        try await Task.sleep(for: .milliseconds(5))
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1_000)
        for index in 0..<200 {
            await cache.store(queryKey("q\(index)"), body: body, tags: [], maxAge: .seconds(60), since: 0)
        }
        #expect(cache.count <= 40, "40 KB of 1 KB answers")
        #expect(cache.count >= 20, "the newer generation holds half the budget")
        #expect(hit(await cache.lookup(queryKey("q199"))) != nil, "the newest are kept")
        let large = queryKey("large")
        await cache.store(large, body: ByteBuffer(repeating: 0, count: 6_000), tags: [], maxAge: .seconds(60), since: 0)
        _ = miss(await cache.lookup(large))
        // The key counts too: a cacheable operation padded to a huge text is not kept.
        let padded = queryKey("q" + String(repeating: " ", count: 6_000))
        await cache.store(padded, body: ByteBuffer(string: "{}"), tags: [], maxAge: .seconds(60), since: 0)
        _ = miss(await cache.lookup(padded))
    }
}
