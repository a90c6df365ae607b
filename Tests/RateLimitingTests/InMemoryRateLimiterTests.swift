import EmporiumTesting
import Testing
@testable import RateLimiting

struct InMemoryRateLimiterTests {
    @Test
    func slidingWindowLogIsExactOnAManualClock() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(clock: clock)
        let limit = RateLimit(limit: 3, window: .seconds(10))
        #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)       // t=0
        clock.advance(by: .seconds(4))
        #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)       // t=4
        clock.advance(by: .seconds(4))
        let third = try await limiter.acquire(key: "k", limit: limit)              // t=8
        #expect(third.isAllowed && third.remaining == 0)
        #expect(third.resetAfter == .seconds(10))
        clock.advance(by: .seconds(1))
        let denied = try await limiter.acquire(key: "k", limit: limit)             // t=9
        #expect(!denied.isAllowed)
        #expect(denied.retryAfter == .seconds(1), "the t=0 request leaves the window at t=10")
        #expect(denied.resetAfter == .seconds(9), "the t=8 request leaves at t=18")
        clock.advance(by: .seconds(1))
        #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed)       // t=10: exactly one slot freed
        #expect(try await limiter.acquire(key: "k", limit: limit).isAllowed == false)
    }

    @Test
    func idleKeysAreSweptOut() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(clock: clock, idleKeyLifetime: .seconds(60))
        let limit = RateLimit(limit: 1_000_000, window: .seconds(1))
        for index in 0..<100 { _ = try await limiter.acquire(key: "idle:\(index)", limit: limit) }
        #expect(limiter.keyCount == 100)
        clock.advance(by: .seconds(120))
        for _ in 0..<4096 { _ = try await limiter.acquire(key: "busy", limit: limit) }
        #expect(limiter.keyCount == 1)
    }
}

struct RateLimitDecisionHeaderTests {
    @Test
    func headersRoundUpAndAddRetryAfterOnlyWhenDenied() {
        let allowed = RateLimitDecision(isAllowed: true, limit: 30, remaining: 29, resetAfter: .milliseconds(9_001), retryAfter: nil)
        #expect(allowed.httpHeaders.map { "\($0.name): \($0.value)" } == [
            "RateLimit-Limit: 30", "RateLimit-Remaining: 29", "RateLimit-Reset: 10",
        ])
        let denied = RateLimitDecision(isAllowed: false, limit: 30, remaining: 0, resetAfter: .seconds(10), retryAfter: .milliseconds(200))
        #expect(denied.httpHeaders.last.map { "\($0.name): \($0.value)" } == "Retry-After: 1")
        #expect(denied.httpHeaders.count == 4)
    }
}
