extension RateLimitDecision {
    /// The response headers for this decision: `RateLimit-Limit`, `RateLimit-Remaining`,
    /// `RateLimit-Reset` always, `Retry-After` when denied. Durations are whole seconds, rounded
    /// up so that a client waiting that long is never early.
    public var httpHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("RateLimit-Limit", String(self.limit)),
            ("RateLimit-Remaining", String(self.remaining)),
            ("RateLimit-Reset", String(Self.wholeSeconds(self.resetAfter))),
        ]
        if !self.isAllowed {
            headers.append(("Retry-After", String(retryAfterSeconds)))
        }
        return headers
    }

    /// Whole seconds to wait before trying again, at least 1: what `Retry-After` and an error
    /// message say.
    public var retryAfterSeconds: Int64 {
        max(1, retryAfter.map(Self.wholeSeconds) ?? 1)
    }

    static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return seconds + (attoseconds > 0 ? 1 : 0)
    }
}
