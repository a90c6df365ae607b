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

/// A limiter and the clock it decides by.
struct LimiterUnderTest: Sendable {
    let limiter: any RateLimiter
    /// Time since the limiter was made, on the limiter's clock.
    let elapsed: @Sendable () -> Duration
    /// Lets `duration` pass on the limiter's clock: at once on a manual clock, by sleeping on real time.
    let pass: @Sendable (Duration) async throws -> Void

    /// Fails the test, loudly, when the calls since `start` took so long that the window under
    /// test has passed: what follows would check nothing. Only real time (Redis) can get here.
    func requireWithin(_ window: Duration, since start: Duration, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let taken = elapsed() - start
        guard taken < window else {
            Issue.record("\(what) took \(taken), not less than the \(window) window under test: the machine is too busy for this check", sourceLocation: sourceLocation)
            return false
        }
        return true
    }
}

/// Runs `body` with a fresh limiter of `backend`. The in-memory limiter runs on a manual clock,
/// so its timing checks are exact; the Redis script uses the server's clock, so that backend
/// runs on real time, sleeps to let windows pass and reports a machine too slow to check.
func withLimiter<T: Sendable>(_ backend: LimiterBackend, _ body: (LimiterUnderTest) async throws -> T) async throws -> T {
    switch backend {
    case .inMemory:
        let clock = ManualClock()
        let start = clock.now
        return try await body(LimiterUnderTest(
            limiter: InMemoryRateLimiter(clock: clock),
            elapsed: { start.duration(to: clock.now) },
            pass: { clock.advance(by: $0) }
        ))
    case .redis:
        let start = ContinuousClock.now
        return try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                try await body(LimiterUnderTest(
                    limiter: RedisRateLimiter(client: client, keyPrefix: uniquePrefix(), failureMode: .closed(retryAfter: .seconds(1))),
                    elapsed: { ContinuousClock.now - start },
                    pass: { try await Task.sleep(for: $0) }
                ))
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
        try await withLimiter(backend) { harness in
            let limiter = harness.limiter
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
        try await withLimiter(backend) { harness in
            let limiter = harness.limiter
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
        try await withLimiter(backend) { harness in
            let limiter = harness.limiter
            // Long enough that a few Redis round trips fit in it while the rest of the suite starts
            // servers in parallel (six calls have taken 2.06 s then).
            let window = Duration.seconds(5)
            let limit = RateLimit(limit: 2, window: window)
            let start = harness.elapsed()
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
            let denied = try await limiter.acquire(key: "k", limit: limit)
            guard harness.requireWithin(window, since: start, "three calls") else { return }
            #expect(!denied.isAllowed)
            let retryAfter = try #require(denied.retryAfter)
            #expect(retryAfter <= window)
            // After the window, the oldest requests have left it.
            try await harness.pass(retryAfter + .milliseconds(100))
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
        }
    }

    @Test(arguments: LimiterBackend.allCases)
    func deniedRequestsAreNotCounted(_ backend: LimiterBackend) async throws {
        try await withLimiter(backend) { harness in
            let limiter = harness.limiter
            // Long enough that a few Redis round trips fit in it while the rest of the suite starts
            // servers in parallel (six calls have taken 2.06 s then).
            let window = Duration.seconds(5)
            let limit = RateLimit(limit: 1, window: window)
            let start = harness.elapsed()
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
            // The limiter timed the request somewhere between `start` and `counted`.
            let counted = harness.elapsed()
            var denials = 0
            for _ in 0..<5 {
                if try await !limiter.acquire(key: "k", limit: limit).isAllowed { denials += 1 }
            }
            guard harness.requireWithin(window, since: start, "six calls") else { return }
            #expect(denials == 5)
            // The denials did not extend the block past the first request's window.
            try await harness.pass(counted + window + .milliseconds(100) - harness.elapsed())
            #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)
        }
    }

    @Test(arguments: LimiterBackend.allCases)
    func concurrentRequestsNeverExceedTheLimit(_ backend: LimiterBackend) async throws {
        try await withLimiter(backend) { harness in
            let limiter = harness.limiter
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
