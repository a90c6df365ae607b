import Caching
import Identity
import Logging
import PostgresNIO
import RateLimiting

/// What the runtime gives a service when it starts: shared infrastructure and its settings.
public struct ServiceContext: Sendable {
    /// The process's PostgreSQL client (the service keeps to its own schema).
    public let postgres: PostgresClient
    /// The process's environment; each service reads and checks its own variables.
    public let settings: EnvironmentSettings
    /// The key-value cache (in memory on the single node, Redis when configured); nil when caching is off.
    public let cache: (any Cache)?
    /// The per-client rate limiter (in memory, or Redis when configured); nil: no limits (tools).
    public let rateLimiter: (any RateLimiter)?
    /// What tokens must say (issuer, audience, lifetime): a service that signs them (users)
    /// signs what every verifier checks.
    public let tokenPolicy: TokenPolicy
    public let logger: Logger

    public init(
        postgres: PostgresClient, settings: EnvironmentSettings = EnvironmentSettings([:]), cache: (any Cache)? = nil,
        rateLimiter: (any RateLimiter)? = nil, tokenPolicy: TokenPolicy = TokenPolicy(), logger: Logger
    ) {
        self.postgres = postgres
        self.settings = settings
        self.cache = cache
        self.rateLimiter = rateLimiter
        self.tokenPolicy = tokenPolicy
        self.logger = logger
    }
}
