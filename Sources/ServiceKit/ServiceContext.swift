import Caching
import Foundation
import FanOut
import Identity
import Logging
import Mail
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
    /// Where live signals go (in process on the single node, Redis across nodes); nil: nowhere
    /// (tools, and processes without live clients behind them).
    public let fanOut: (any FanOut)?
    /// The process's mail adapter.
    public let mailer: any Mailer
    public let logger: Logger

    public init(
        postgres: PostgresClient, settings: EnvironmentSettings = EnvironmentSettings([:]), cache: (any Cache)? = nil,
        rateLimiter: (any RateLimiter)? = nil, tokenPolicy: TokenPolicy = TokenPolicy(), fanOut: (any FanOut)? = nil,
        mailer: (any Mailer)? = nil, logger: Logger
    ) {
        self.postgres = postgres
        self.settings = settings
        self.cache = cache
        self.rateLimiter = rateLimiter
        self.tokenPolicy = tokenPolicy
        self.fanOut = fanOut
        self.mailer = mailer ?? Self.fileMailer(settings: settings, logger: logger)
        self.logger = logger
    }

    /// Mail as files under `EMPORIUM_MAIL_DIR` (default `<EMPORIUM_DATA_DIR>/mail`), when the runtime
    /// passes no other mailer (it passes SMTP when `EMPORIUM_SMTP_URL` is set).
    static func fileMailer(settings: EnvironmentSettings, logger: Logger) -> FileMailer {
        let dataDirectory = settings.string("EMPORIUM_DATA_DIR") ?? ".emporium"
        let mailDirectory = settings.string("EMPORIUM_MAIL_DIR") ?? dataDirectory + "/mail"
        return FileMailer(directory: URL(fileURLWithPath: mailDirectory), logger: logger)
    }
}
