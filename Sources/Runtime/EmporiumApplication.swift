import Caching
import Database
import Foundation
import GraphQLSupport
import Hummingbird
import Identity
import Logging
import Messaging
import PostgresNIO
import Prometheus
import RateLimiting
import Redis
import ServiceKit
import ServiceLifecycle

/// One `emporium` process: the services it runs behind one port, their event flow and their
/// shared state. All services (`emporium serve`) make the single node; one service
/// (`emporium serve <name>`) is one process of the distributed topology.
public enum EmporiumApplication {
    /// The migrations of `services`, in the registry's order.
    public static func migrationSets(for services: [ServiceDescriptor] = ServiceRegistry.all) throws -> [MigrationSet] {
        try services.map { try $0.migrations() }
    }

    /// The router: each service's GraphQL subgraph at `/subgraphs/<name>/graphql` and its own
    /// routes; the public `/graphql`, which is the federation gateway over them when this process
    /// runs several services (the single node) and the service's own subgraph when it runs one (a
    /// process of the distributed topology, which `emporium serve gateway` calls); health and
    /// metrics. Separate from the server so that tests can drive it.
    public static func router(
        postgres: PostgresClient, tokens: TokenService, registry: PrometheusCollectorRegistry?, poolSize: Int,
        services descriptors: [ServiceDescriptor] = ServiceRegistry.all, configuration: RuntimeConfiguration = RuntimeConfiguration(),
        rateLimiter: (any RateLimiter)? = nil, cache: (any Cache)? = nil, clients: ClientIdentification = ClientIdentification(),
        responseCache: ResponseCache? = nil, internalCredential: InternalCredential, logger: Logger
    ) async throws -> Router<EmporiumRequestContext> {
        let context = ServiceContext(
            postgres: postgres, settings: EnvironmentSettings(configuration.environment), cache: cache, rateLimiter: rateLimiter,
            tokenPolicy: tokens.policy, logger: logger)
        let services = try await RunningServices.start(descriptors, context: context)
        return try router(
            services, postgres: postgres, tokens: tokens, registry: registry, poolSize: poolSize, clients: clients,
            responseCache: responseCache, internalCredential: internalCredential, introspection: configuration.introspectionEnabled,
            metricsOnMainPort: configuration.metricsPort == nil, logger: logger)
    }

    /// `responseCache` serves the public endpoint's anonymous answers when it is the gateway.
    /// Subgraph endpoints answer only requests with `internalCredential` (see `InternalCredential`).
    static func router(
        _ services: RunningServices, postgres: PostgresClient, tokens: TokenService, registry: PrometheusCollectorRegistry?, poolSize: Int,
        clients: ClientIdentification, responseCache: ResponseCache?, internalCredential: InternalCredential, introspection: Bool,
        metricsOnMainPort: Bool, logger: Logger
    ) throws -> Router<EmporiumRequestContext> {
        let router = Router(context: EmporiumRequestContext.self)
        router.middlewares.add(HTTPMetricsMiddleware())
        for service in services.all {
            for route in service.instance.routes {
                ServiceRouteResponder(route: route, tokens: tokens, clients: clients, internalCredential: internalCredential, logger: logger)
                    .add(to: router)
            }
            // The single node's gateway calls its subgraphs in process; their HTTP routes exist
            // for a separate gateway process (and tools), behind the internal credential.
            GraphQLHTTP(executor: service.instance.endpoint, tokens: tokens, clients: clients, internalCredential: internalCredential, logger: logger)
                .addRoutes(to: router, path: RouterPath("/subgraphs/\(service.descriptor.name)/graphql"))
        }
        if services.all.count > 1 {
            let gateway = try GatewayAssembly.inProcess(services, introspection: introspection, logger: logger)
            GraphQLHTTP(executor: gateway, tokens: tokens, clients: clients, responseCache: responseCache, logger: logger).addRoutes(to: router)
        } else if let service = services.all.first {
            // One service's process: its /graphql is what `emporium serve gateway` calls.
            GraphQLHTTP(executor: service.instance.endpoint, tokens: tokens, clients: clients, internalCredential: internalCredential, logger: logger)
                .addRoutes(to: router)
        }
        OperationalRoutes(postgres: postgres, registry: registry, poolSize: poolSize, logger: logger).add(to: router, metrics: metricsOnMainPort)
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

    /// Where this process invalidates response-cache tags and checks cached answers: Redis when
    /// configured (shared with the gateways); in memory on the single node, whose gateway is in
    /// the process; nowhere for one service without Redis (no cache could use it).
    static func tagInvalidation(_ configuration: RuntimeConfiguration, redis: RedisClient?, services: [ServiceDescriptor]) -> (any TagInvalidation)? {
        guard configuration.responseCacheEnabled else { return nil }
        if let redis { return RedisTagInvalidation(client: redis) }
        return services.count > 1 ? InMemoryTagInvalidation() : nil
    }

    /// The whole process: the PostgreSQL client, migrations, then relays, consumers and
    /// background jobs, and the HTTP server.
    public static func application(
        configuration: RuntimeConfiguration, services descriptors: [ServiceDescriptor] = ServiceRegistry.all,
        postgres: PostgresClient.Configuration, registry: PrometheusCollectorRegistry?, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        var postgresConfiguration = postgres
        postgresConfiguration.options.maximumConnections = configuration.databasePoolSize
        // Held open, without keep-alive pings: below the minimum, and with pings, the pool
        // schedules a timer task each time a connection is released — measured at nearly half
        // of an uncached read's CPU (docs/database.md).
        postgresConfiguration.options.minimumConnections = configuration.databasePoolSize
        postgresConfiguration.options.keepAliveBehavior = nil
        // Search reads a bounded number of candidates in table order. With synchronized scans a
        // sequential scan starts wherever another one is, so the same search would find other
        // candidates each time (pages that overlap or skip) and read cold parts of the table.
        postgresConfiguration.options.additionalStartupParameters.append(("synchronize_seqscans", "off"))
        let client = PostgresClient(configuration: postgresConfiguration, backgroundLogger: logger)
        let jwks = ProcessJWKS(url: configuration.jwksURL)
        let tokens = try await configuration.tokenService(logger: logger, jwks: jwks)
        let (limiter, cache, redis) = try sharedState(configuration, logger: logger)
        let services = try await RunningServices.start(descriptors, context: ServiceContext(
            postgres: client, settings: EnvironmentSettings(configuration.environment), cache: configuration.cacheEnabled ? cache : nil,
            rateLimiter: limiter, tokenPolicy: configuration.tokenPolicy, logger: logger))
        // A service here that signs access tokens is the JWKS of every token check here.
        jwks.bind(services.all.lazy.compactMap(\.instance.jwks).first)
        let invalidation = tagInvalidation(configuration, redis: redis, services: descriptors)
        let responseCache = invalidation.map {
            ResponseCache(invalidation: $0, maximumBytes: configuration.responseCacheBytes, logger: logger)
        }
        let router = try router(
            services, postgres: client, tokens: tokens, registry: registry, poolSize: configuration.databasePoolSize,
            clients: ClientIdentification(trustedProxies: configuration.trustedProxies), responseCache: responseCache,
            internalCredential: try configuration.internalCredential(logger: logger), introspection: configuration.introspectionEnabled,
            metricsOnMainPort: configuration.metricsPort == nil, logger: logger)
        let events = try EventBusAssembly(
            configuration: configuration, services: descriptors, processors: services.processors(client: client, logger: logger),
            invalidation: invalidation, client: client, logger: logger)

        // Services start in this order and stop in reverse: stores first, then the event flow
        // and jobs (held until the schema is current), the HTTP server last.
        let gate = StartGate()
        let background: [any Service] = events.services + services.all.flatMap(\.instance.background)
        var all: [any Service] = [client]
        if let redis { all.append(redis) }
        if let metricsPort = configuration.metricsPort {
            all.append(OperationalRoutes(postgres: client, registry: registry, poolSize: configuration.databasePoolSize, logger: logger)
                .metricsServer(host: configuration.host, port: metricsPort, logger: logger))
        }
        all += background.map { GatedService(gate: gate, inner: $0) }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "emporium"),
            services: all,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let sets = try migrationSets(for: descriptors)
        let migrate = configuration.migrateOnStart
        let prepare = events.prepare
        app.beforeServerStarts {
            if migrate {
                let applied = try await Migrator(client: client, logger: logger).migrate(sets)
                logger.info("database schema is current", metadata: ["migrations.applied": "\(applied.count)"])
            }
            try await prepare()
            gate.open()
        }
        return app
    }
}
