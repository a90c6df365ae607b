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
        if !self.isAllowed, let retryAfter = self.retryAfter {
            headers.append(("Retry-After", String(max(1, Self.wholeSeconds(retryAfter)))))
        }
        return headers
    }

    static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return seconds + (attoseconds > 0 ? 1 : 0)
    }
}
