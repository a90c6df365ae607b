import Caching
import EmporiumTesting
import Foundation
import Redis
import Testing

/// Runs `body` with a fresh ``TagInvalidation`` of `backend` (hold 1 s, so that a loaded machine running suites in parallel stays inside it; retention 10 s, so that the same machine never outlasts it between an invalidation and the checks after the hold).
func withTagInvalidation<T: Sendable>(_ backend: CacheBackend, _ body: (any TagInvalidation) async throws -> T) async throws -> T {
    switch backend {
    case .inMemory:
        return try await body(InMemoryTagInvalidation(retention: .seconds(10), hold: .seconds(1)))
    case .redis:
        return try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                try await body(RedisTagInvalidation(client: client, keyPrefix: uniquePrefix(), retention: .seconds(10), hold: .seconds(1)))
            }
        }
    }
}

/// The contract of every ``TagInvalidation`` adapter.
@Suite(.timeLimit(.minutes(1)))
struct TagInvalidationContractTests {
    @Test(arguments: CacheBackend.allCases)
    func invalidatingATagMakesAnswersBuiltFromItStaleAndNoOthers(_ backend: CacheBackend) async throws {
        try await withTagInvalidation(backend) { tags in
            let before = try await tags.position()
            #expect(try await tags.isCurrent(["product:1", "stock:1"], since: before))
            try await tags.invalidate(["product:1", "products"])
            let after = try await tags.position()
            #expect(after > before)
            #expect(try await tags.isCurrent(["product:1", "stock:1"], since: before) == false)
            #expect(try await tags.isCurrent(["product:2", "stock:1"], since: before), "other tags are untouched")
            #expect(try await tags.isCurrent(["product:1"], since: after), "an answer computed after the change is current")
            #expect(try await tags.isCurrent([], since: before))
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func answersComputedDuringTheHoldAreNotStored(_ backend: CacheBackend) async throws {
        try await withTagInvalidation(backend) { tags in
            let start = try await tags.position()
            #expect(try await tags.mayStore(["product:1"], since: start))
            try await tags.invalidate(["product:1"])
            #expect(try await tags.mayStore(["product:1"], since: start) == false, "changed after the position")
            let after = try await tags.position()
            #expect(try await tags.mayStore(["product:1"], since: after) == false, "within the hold")
            #expect(try await tags.mayStore(["product:2"], since: after))
            try await Task.sleep(for: .milliseconds(1200))
            #expect(try await tags.mayStore(["product:1"], since: after), "after the hold")
            #expect(try await tags.mayStore(["product:1"], since: start) == false, "still changed after the old position")
        }
    }

    @Test(arguments: CacheBackend.allCases)
    func everyInvalidationMovesThePosition(_ backend: CacheBackend) async throws {
        try await withTagInvalidation(backend) { tags in
            var last = try await tags.position()
            for round in 0..<20 {
                try await tags.invalidate(["product:\(round % 3)"])
                let now = try await tags.position()
                #expect(now > last)
                last = now
            }
            try await tags.invalidate([])
            #expect(try await tags.position() == last, "nothing to invalidate moves nothing")
        }
    }
}
