import EmporiumCore
import RateLimiting

/// The per-client limit on product search (a public endpoint bots love), shared by GraphQL and
/// REST. Each decision's `RateLimit-*` headers go to the response; over the limit the caller gets
/// `RATE_LIMITED` (GraphQL) or 429 (REST), both with `Retry-After`.
public struct SearchAdmission: Sendable {
    public let limiter: any RateLimiter
    public let limit: RateLimit

    public init(limiter: any RateLimiter, limit: RateLimit = .search) {
        self.limiter = limiter
        self.limit = limit
    }

    /// Counts one search for `clientKey`; returns the decision, or throws `.rateLimited`.
    @discardableResult
    public func admit(clientKey: String, headers: (String, String) -> Void) async throws -> RateLimitDecision {
        let decision = try await limiter.acquire(key: "search:\(clientKey)", limit: limit)
        for (name, value) in decision.httpHeaders { headers(name, value) }
        guard decision.isAllowed else {
            let retry = decision.retryAfterSeconds
            throw EmporiumError(
                .rateLimited,
                "too many searches: at most \(limit.limit) per \(limit.window.components.seconds) s; retry in \(retry) s",
                detail: "client \(clientKey)"
            )
        }
        return decision
    }
}
