import EmporiumCore
import RateLimiting

/// Limits on guessing credentials and on creating accounts in bulk.
///
/// Logins count against the account they name (10 a minute by default: a password cannot be
/// guessed online) and, with registrations and refreshes, against the client (100 a minute by
/// default: one address cannot spray many accounts). The account key is the normalised email,
/// whether or not such an account exists, so the limit itself reveals nothing. Refused attempts
/// are `RATE_LIMITED` with `Retry-After`; they cost no password hash.
public struct CredentialAdmission: Sendable {
    public static let defaultPerAccount = RateLimit(limit: 10, window: .seconds(60))
    public static let defaultPerClient = RateLimit(limit: 100, window: .seconds(60))

    let limiter: any RateLimiter
    let perAccount: RateLimit
    let perClient: RateLimit

    public init(limiter: any RateLimiter, perAccount: RateLimit = Self.defaultPerAccount, perClient: RateLimit = Self.defaultPerClient) {
        self.limiter = limiter
        self.perAccount = perAccount
        self.perClient = perClient
    }

    /// Counts one attempt by `client`, and for `account` when given; throws `RATE_LIMITED` when
    /// either limit is reached. `header` receives `Retry-After` and the `RateLimit-*` headers.
    public func admit(client: String, account: String?, header: (String, String) -> Void) async throws {
        let byClient = try await limiter.acquire(key: "auth:client:\(client)", limit: perClient)
        try check(byClient, header: header, what: "too many sign-in attempts from this client")
        if let account {
            let byAccount = try await limiter.acquire(key: "auth:account:\(account)", limit: perAccount)
            try check(byAccount, header: header, what: "too many sign-in attempts for this account")
        }
    }

    private func check(_ decision: RateLimitDecision, header: (String, String) -> Void, what: String) throws {
        guard !decision.isAllowed else { return }
        for (name, value) in decision.httpHeaders { header(name, value) }
        let retry = decision.retryAfterSeconds
        throw EmporiumError(.rateLimited, "\(what); retry in \(retry) s")
    }
}
