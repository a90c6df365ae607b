/// A limit: at most `limit` requests in any window of length `window` (a sliding window).
public struct RateLimit: Sendable, Hashable {
    public var limit: Int
    public var window: Duration

    public init(limit: Int, window: Duration) {
        precondition(limit > 0 && window > .zero)
        self.limit = limit
        self.window = window
    }

    /// The default for product search: 30 requests per 10 seconds.
    public static let search = RateLimit(limit: 30, window: .seconds(10))
}

/// The outcome of one request against a limit, with what the edge needs for `Retry-After` and
/// `RateLimit-Limit` / `-Remaining` / `-Reset` headers.
public struct RateLimitDecision: Sendable, Hashable {
    public var isAllowed: Bool
    public var limit: Int
    /// Requests still allowed in the current window after this one.
    public var remaining: Int
    /// Until every request counted now has left the window (the quota is whole again).
    public var resetAfter: Duration
    /// When denied: until the oldest counted request leaves the window and one more is allowed.
    public var retryAfter: Duration?
    /// `true` when the backend failed and the limiter's failure mode decided instead.
    public var isDegraded: Bool

    public init(isAllowed: Bool, limit: Int, remaining: Int, resetAfter: Duration, retryAfter: Duration?, isDegraded: Bool = false) {
        self.isAllowed = isAllowed
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.retryAfter = retryAfter
        self.isDegraded = isDegraded
    }
}

/// A sliding-window rate limiter. Allowed requests are counted; denied ones are not, so a client
/// that keeps retrying while limited is let in again as soon as the window frees a slot.
///
/// Adapters: ``InMemoryRateLimiter`` (one process) and ``RedisRateLimiter`` (one limit shared by
/// every node). Both pass the same contract suite.
public protocol RateLimiter: Sendable {
    /// Decides one request for `key` (e.g. `search:user:42` or `search:ip:203.0.113.7`) and counts
    /// it if allowed. Throws only `CancellationError`: backend failures are resolved by the
    /// adapter's failure mode (see ``RateLimiterFailureMode``) and flagged with `isDegraded`.
    func acquire(key: String, limit: RateLimit) async throws -> RateLimitDecision
}

/// What a distributed limiter answers when its backend is unreachable.
public enum RateLimiterFailureMode: Sendable, Hashable {
    /// Allow the request: an outage of Redis must not take search down (the default).
    case open
    /// Deny the request, telling the client to retry after the given delay.
    case closed(retryAfter: Duration)
}
