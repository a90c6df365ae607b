import Caching
import Catalog
import Database
import Foundation
import GraphQLSupport
import Hummingbird
import Identity
import Logging
import PostgresNIO
import Prometheus
import RateLimiting
import Redis
import ServiceLifecycle

/// The single-node topology: every service in one process behind one port.
public enum SingleNodeApplication {
    /// The migrations of every service this topology runs, in dependency order.
    public static func migrationSets() throws -> [MigrationSet] {
        [try MigrationSet.load(schema: CatalogService.schemaName, directory: CatalogService.migrationsDirectory)]
    }

    /// The router with GraphQL, health and metrics routes. Separate from the server so that
    /// tests can drive it directly.
    public static func router(
        postgres: PostgresClient, tokens: TokenService, registry: PrometheusCollectorRegistry?, poolSize: Int,
        searchAdmission: SearchAdmission? = nil, cache: (any Cache)? = nil, clients: ClientIdentification = ClientIdentification(),
        logger: Logger
    ) throws -> Router<EmporiumRequestContext> {
        let router = Router(context: EmporiumRequestContext.self)
        router.middlewares.add(MetricsMiddleware())
        let catalog = try CatalogService(client: postgres, searchAdmission: searchAdmission, cache: cache, logger: logger)
        GraphQLHTTP(executor: catalog.endpoint, tokens: tokens, clients: clients, logger: logger).addRoutes(to: router)
        SearchRoute(catalog: catalog, tokens: tokens, clients: clients, logger: logger).add(to: router)
        OperationalRoutes(postgres: postgres, registry: registry, poolSize: poolSize, logger: logger).add(to: router)
        return router
    }

    /// Rate limiter and product cache: in memory on a single node; shared through Redis when
    /// `EMPORIUM_REDIS_URL` is set (then the returned client must run as a service).
    static func sharedState(_ configuration: RuntimeConfiguration, logger: Logger) throws -> (any RateLimiter, any Cache, RedisClient?) {
        guard let url = configuration.redisURL else {
            let cache = InMemoryCache(maximumEntries: configuration.cacheEntries, maximumBytes: configuration.cacheBytes, clock: ContinuousClock())
            return (InMemoryRateLimiter(clock: ContinuousClock()), cache, nil)
        }
        let redis = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
        let mode: RateLimiterFailureMode = configuration.rateLimitFailClosed ? .closed(retryAfter: .seconds(1)) : .open
        return (RedisRateLimiter(client: redis, failureMode: mode, logger: logger), RedisCache(client: redis, keyPrefix: "emporium:cache:"), redis)
    }

    /// The whole application: the PostgreSQL client as a service, migrations before the server
    /// starts accepting requests, then the HTTP server.
    public static func application(
        configuration: RuntimeConfiguration, postgres: PostgresClient.Configuration,
        registry: PrometheusCollectorRegistry?, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        var postgresConfiguration = postgres
        postgresConfiguration.options.maximumConnections = configuration.databasePoolSize
        let client = PostgresClient(configuration: postgresConfiguration, backgroundLogger: logger)
        let tokens = try await TokenService(keys: configuration.tokenKeys(logger: logger))
        let (limiter, cache, redis) = try sharedState(configuration, logger: logger)
        let admission = SearchAdmission(
            limiter: limiter, limit: RateLimit(limit: configuration.searchRateLimit.limit, window: configuration.searchRateLimit.window)
        )
        let router = try router(
            postgres: client, tokens: tokens, registry: registry, poolSize: configuration.databasePoolSize,
            searchAdmission: admission, cache: configuration.cacheEnabled ? cache : nil,
            clients: ClientIdentification(trustedProxies: configuration.trustedProxies), logger: logger
        )
        // Services start in this order and stop in reverse: stores first, the server last.
        var services: [any Service] = [client]
        if let redis { services.append(redis) }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "emporium"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        if configuration.migrateOnStart {
            let sets = try migrationSets()
            app.beforeServerStarts {
                let applied = try await Migrator(client: client, logger: logger).migrate(sets)
                logger.info("database schema is current", metadata: ["migrations.applied": "\(applied.count)"])
            }
        }
        return app
    }
}
