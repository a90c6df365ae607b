import EmporiumTesting
import Foundation
import Redis
import Testing
@testable import RateLimiting

/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct RedisRateLimiterTests {
    @Test
    func twoNodesSharingRedisEnforceOneCombinedLimit() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { clientA in
                try await withRedisClient(server.configuration) { clientB in
                    let prefix = uniquePrefix()
                    let nodeA = RedisRateLimiter(client: clientA, keyPrefix: prefix)
                    let nodeB = RedisRateLimiter(client: clientB, keyPrefix: prefix)
                    let limit = RateLimit(limit: 30, window: .seconds(60))
                    var allowed = 0
                    for request in 0..<90 {
                        let node = request.isMultiple(of: 2) ? nodeA : nodeB
                        if try await node.acquire(key: "search:ip:203.0.113.7", limit: limit).isAllowed { allowed += 1 }
                    }
                    #expect(allowed == 30)
                }
            }
        }
    }

    @Test
    func survivesAScriptFlush() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                let limiter = RedisRateLimiter(client: client, keyPrefix: uniquePrefix())
                let limit = RateLimit(limit: 3, window: .seconds(60))
                #expect(try await limiter.acquire(key: "k", limit: limit).remaining == 2)
                try await client.send(command: "SCRIPT", arguments: ["FLUSH"])
                let decision = try await limiter.acquire(key: "k", limit: limit)
                #expect(decision.remaining == 1)
                #expect(!decision.isDegraded)
            }
        }
    }

    @Test
    func keysExpireWithTheWindow() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                let prefix = uniquePrefix()
                let limiter = RedisRateLimiter(client: client, keyPrefix: prefix)
                _ = try await limiter.acquire(key: "k", limit: RateLimit(limit: 3, window: .seconds(10)))
                let pttl = try await client.send(command: "PTTL", arguments: [RESPArgument(prefix + "k")]).int ?? -1
                #expect(pttl > 9_000 && pttl <= 10_000, "no key outlives its window")
            }
        }
    }

    @Test
    func failsOpenByDefaultAndClosedWhenConfigured() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                let metrics = TestMetrics()
                let open = RedisRateLimiter(client: client, keyPrefix: uniquePrefix(), metricsFactory: metrics)
                let closed = RedisRateLimiter(client: client, keyPrefix: uniquePrefix(), failureMode: .closed(retryAfter: .seconds(2)), metricsFactory: metrics)
                let limit = RateLimit(limit: 10, window: .seconds(10))
                #expect(try await open.acquire(key: "k", limit: limit).isDegraded == false)
                await server.stop(removeDirectory: false)
                let start = ContinuousClock.now
                let openDecision = try await open.acquire(key: "k", limit: limit)
                #expect(openDecision.isAllowed)
                #expect(openDecision.isDegraded)
                let closedDecision = try await closed.acquire(key: "k", limit: limit)
                #expect(!closedDecision.isAllowed)
                #expect(closedDecision.isDegraded)
                #expect(closedDecision.retryAfter == .seconds(2))
                #expect(ContinuousClock.now - start < .seconds(5), "decisions do not hang while Redis is down")
                #expect(metrics.counter("ratelimit_backend_errors_total", [("failure_mode", "open")]) == 1)
                #expect(metrics.counter("ratelimit_backend_errors_total", [("failure_mode", "closed")]) == 1)
                #expect(metrics.counter("ratelimit_decisions_total", [("result", "allowed")]) == 1)
            }
        }
    }
}
