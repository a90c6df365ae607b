import EmporiumTesting
import Foundation
import Redis
import Testing
@testable import RateLimiting

enum LimiterBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case redis

    var testDescription: String { self.rawValue }
}

/// Runs `body` with a fresh limiter of `backend`. Both run on real time here (the Redis script
/// uses the server's clock), so the contract holds for the same sequence of calls.
func withLimiter<T: Sendable>(_ backend: LimiterBackend, _ body: (any RateLimiter) async throws -> T) async throws -> T {
    switch backend {
    case .inMemory:
        return try await body(InMemoryRateLimiter())
    case .redis:
        return try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                try await body(RedisRateLimiter(client: client, keyPrefix: uniquePrefix(), failureMode: .closed(retryAfter: .seconds(1))))
            }
        }
    }
}

/// The contract every ``RateLimiter`` adapter must meet, run against each of them.
/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct RateLimiterContractTests {
    @Test(arguments: LimiterBackend.allCases)
    func allowsExactlyTheLimitThenDenies(_ backend: LimiterBackend) async throws {
        try await withLimiter(backend) { limiter in
            let limit = RateLimit(limit: 5, window: .seconds(60))
            var remaining: [Int] = []
            for _ in 0..<5 {
                let decision = try await limiter.acquire(key: "client:a", limit: limit)
                #expect(decision.isAllowed)
                #expect(decision.retryAfter == nil)
                #expect(decision.limit == 5)
                #expect(decision.resetAfter > .seconds(55) && decision.resetAfter <= .seconds(60))
                #expect(!decision.isDegraded)
                remaining.append(decision.remaining)
            }
            #expect(remaining == [4, 3, 2, 1, 0])
            for _ in 0..<3 {
                let denied = try await limiter.acquire(key: "client:a", limit: limit)
                #expect(!denied.isAllowed)
                #expect(denied.remaining == 0)
                let retryAfter = try #require(denied.retryAfter)
                #expect(retryAfter > .seconds(55) && retryAfter <= .seconds(60))
            }
        }
    }

    @Test(arguments: LimiterBackend.allCases)
    func keysAreIndependent(_ backend: LimiterBackend) async throws {
        try await withLimiter(backend) { limiter in
            let limit = RateLimit(limit: 2, window: .seconds(60))
            _ = try await limiter.acquire(key: "ip:1", limit: limit)
            _ = try await limiter.acquire(key: "ip:1", limit: limit)
            #expect(try await limiter.acquire(key: "ip:1", limit: limit).isAllowed == false)
            #expect(try await limiter.acquire(key: "ip:2", limit: limit).isAllowed)
            #expect(try await limiter.acquire(key: "user:1", limit: limit).remaining == 1)
        }
    }

    @Test(arguments: LimiterBackend.allCases)
    func theWindowSlides(_ backend: LimiterBackend) async throws {
        try await withLimiter(backend) { limiter in
            let window = Duration.seconds(1)
            let limit = RateLimit(limit: 2, window: window)
            let start = ContinuousClock.now
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
            let denied = try await limiter.acquire(key: "k", limit: limit)
            // On a very busy machine the window may have passed already; then there is nothing to check.
            guard ContinuousClock.now - start < window else { return }
            #expect(!denied.isAllowed)
            let retryAfter = try #require(denied.retryAfter)
            #expect(retryAfter <= window)
            // After the window, the oldest requests have left it.
            try await Task.sleep(for: retryAfter + .milliseconds(100))
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
        }
    }

    @Test(arguments: LimiterBackend.allCases)
    func deniedRequestsAreNotCounted(_ backend: LimiterBackend) async throws {
        try await withLimiter(backend) { limiter in
            let window = Duration.seconds(2)
            let limit = RateLimit(limit: 1, window: window)
            let start = ContinuousClock.now
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
            // The limiter timed the request somewhere between `start` and `counted`.
            let counted = ContinuousClock.now
            for _ in 0..<5 {
                let decision = try await limiter.acquire(key: "k", limit: limit)
                if ContinuousClock.now - start < window { #expect(!decision.isAllowed) }
            }
            // The denials did not extend the block past the first request's window.
            try await Task.sleep(until: counted + window + .milliseconds(100))
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
        }
    }

    @Test(arguments: LimiterBackend.allCases)
    func concurrentRequestsNeverExceedTheLimit(_ backend: LimiterBackend) async throws {
        try await withLimiter(backend) { limiter in
            let limit = RateLimit(limit: 25, window: .seconds(60))
            let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<100 {
                    group.addTask { try await limiter.acquire(key: "burst", limit: limit).isAllowed }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(allowed == 25)
        }
    }
}
