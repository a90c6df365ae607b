import Synchronization

/// A sliding-window-log limiter in process memory: exact, O(limit) memory per active key.
/// The clock is injected so tests can move time.
public final class InMemoryRateLimiter<C: Clock>: RateLimiter where C.Duration == Duration {
    private struct State {
        /// Times of the allowed requests in the window per key, oldest first.
        var logs: [String: [C.Instant]] = [:]
        var operationsSinceSweep = 0
    }

    private let clock: C
    private let state = Mutex(State())
    /// Keys idle for longer than this are swept out.
    private let idleKeyLifetime: Duration

    public init(clock: C, idleKeyLifetime: Duration = .seconds(600)) {
        self.clock = clock
        self.idleKeyLifetime = idleKeyLifetime
    }

    /// Keys currently tracked.
    public var keyCount: Int { self.state.withLock { $0.logs.count } }

    public func acquire(key: String, limit: RateLimit) async throws -> RateLimitDecision {
        let now = self.clock.now
        return self.state.withLock { state in
            state.operationsSinceSweep += 1
            if state.operationsSinceSweep >= 4096 {
                state.operationsSinceSweep = 0
                let lifetime = self.idleKeyLifetime
                state.logs = state.logs.filter { _, log in
                    guard let newest = log.last else { return false }
                    return newest.duration(to: now) < lifetime
                }
            }
            var log = state.logs[key] ?? []
            // Requests at exactly `now - window` have left the window, as in the Redis script.
            let firstInWindow = log.firstIndex { $0.duration(to: now) < limit.window } ?? log.endIndex
            log.removeSubrange(..<firstInWindow)
            let allowed = log.count < limit.limit
            if allowed { log.append(now) }
            state.logs[key] = log.isEmpty ? nil : log
            let nextFree = log.first.map { limit.window - $0.duration(to: now) } ?? .zero
            let reset = log.last.map { limit.window - $0.duration(to: now) } ?? .zero
            return RateLimitDecision(
                isAllowed: allowed,
                limit: limit.limit,
                remaining: max(0, limit.limit - log.count),
                resetAfter: reset,
                retryAfter: allowed ? nil : nextFree
            )
        }
    }
}

extension InMemoryRateLimiter where C == ContinuousClock {
    public convenience init() {
        self.init(clock: ContinuousClock())
    }
}
