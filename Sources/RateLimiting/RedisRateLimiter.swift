import Logging
import Metrics
import Redis
import Synchronization

/// A sliding-window-log limiter in Redis: one sorted set per key, one atomic Lua script per
/// decision (EVALSHA, EVAL on NOSCRIPT), timed by the Redis server's clock so that nodes with
/// skewed clocks still share one window. See docs/rate-limiting.md.
public final class RedisRateLimiter: RateLimiter {
    /// KEYS[1]: the log; ARGV: limit, window (µs), unique member suffix.
    /// Returns {allowed, remaining, µs until a slot frees, µs until the window is empty}.
    static let script = RedisScript("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        local allowed = 0
        if count < limit then
          redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
          redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
          count = count + 1
          allowed = 1
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        local next_free = 0
        local reset = 0
        if oldest[2] then next_free = tonumber(oldest[2]) + window - now end
        if newest[2] then reset = tonumber(newest[2]) + window - now end
        local remaining = limit - count
        if remaining < 0 then remaining = 0 end
        return {allowed, remaining, next_free, reset}
        """)

    public let client: RedisClient
    public let keyPrefix: String
    public let failureMode: RateLimiterFailureMode
    private let logger: Logger
    private let nodeID = UInt64.random(in: 0...UInt64.max)
    private let sequence = Atomic<UInt64>(0)
    private let allowedCounter: Counter
    private let deniedCounter: Counter
    private let errorCounter: Counter

    /// - Parameter metricsFactory: where the counters go; the bootstrapped backend by default.
    public init(
        client: RedisClient,
        keyPrefix: String = "ratelimit:",
        failureMode: RateLimiterFailureMode = .open,
        logger: Logger = Logger(label: "ratelimit"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.client = client
        self.keyPrefix = keyPrefix
        self.failureMode = failureMode
        self.logger = logger
        self.allowedCounter = Counter(label: "ratelimit_decisions_total", dimensions: [("result", "allowed")], factory: metricsFactory)
        self.deniedCounter = Counter(label: "ratelimit_decisions_total", dimensions: [("result", "denied")], factory: metricsFactory)
        let mode: String
        switch failureMode {
        case .open: mode = "open"
        case .closed: mode = "closed"
        }
        self.errorCounter = Counter(label: "ratelimit_backend_errors_total", dimensions: [("failure_mode", mode)], factory: metricsFactory)
    }

    public func acquire(key: String, limit: RateLimit) async throws -> RateLimitDecision {
        let member = "\(String(self.nodeID, radix: 36)).\(self.sequence.wrappingAdd(1, ordering: .relaxed).newValue)"
        let windowMicros = limit.window.microseconds
        let reply: RESPValue
        do {
            reply = try await self.client.run(
                Self.script,
                keys: [self.keyPrefix + key],
                arguments: [RESPArgument(limit.limit), RESPArgument(windowMicros), RESPArgument(member)]
            )
        } catch {
            try Task.checkCancellation()
            return self.degradedDecision(limit: limit, error: error)
        }
        guard let values = reply.array?.compactMap(\.int), values.count == 4 else {
            return self.degradedDecision(limit: limit, error: RedisError(code: .unexpectedReply, details: "rate limit script answered \(reply)"))
        }
        let allowed = values[0] == 1
        (allowed ? self.allowedCounter : self.deniedCounter).increment()
        return RateLimitDecision(
            isAllowed: allowed,
            limit: limit.limit,
            remaining: values[1],
            resetAfter: .microseconds(values[3]),
            retryAfter: allowed ? nil : .microseconds(max(0, values[2]))
        )
    }

    private func degradedDecision(limit: RateLimit, error: any Error) -> RateLimitDecision {
        self.errorCounter.increment()
        switch self.failureMode {
        case .open:
            self.logger.warning("rate limiter backend unavailable; allowing (fail-open)", metadata: ["error": "\(error)"])
            return RateLimitDecision(isAllowed: true, limit: limit.limit, remaining: limit.limit - 1, resetAfter: limit.window, retryAfter: nil, isDegraded: true)
        case .closed(let retryAfter):
            self.logger.warning("rate limiter backend unavailable; denying (fail-closed)", metadata: ["error": "\(error)"])
            return RateLimitDecision(isAllowed: false, limit: limit.limit, remaining: 0, resetAfter: retryAfter, retryAfter: retryAfter, isDegraded: true)
        }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
