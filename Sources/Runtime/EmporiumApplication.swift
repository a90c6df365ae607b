import Caching
import Database
import FanOut
import Gateway
import Foundation
import GraphQLSupport
import Hummingbird
import HummingbirdCore
import Identity
import Logging
import Messaging
import PostgresNIO
import Realtime
import Prometheus
import RateLimiting
import Redis
import ServiceKit
import ServiceLifecycle

/// One `emporium` process: the services it runs behind one port, their event flow and their
/// shared state. All services (`emporium serve`) make the single node; one service
/// (`emporium serve <name>`) is one process of the distributed topology.
public enum EmporiumApplication {
    /// The `Server` header of the single node's answers.
    static let serverName = "emporium"

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
        let gateway = try gateway(of: services, introspection: configuration.introspectionEnabled, logger: logger)
        return router(
            services, gateway: gateway, postgres: postgres, tokens: tokens, registry: registry, poolSize: poolSize, clients: clients,
            responseCache: responseCache, internalCredential: internalCredential,
            gate: configuration.overloadGate(defaultLimit: OverloadGate.defaultLimit(databasePool: poolSize), logger: logger), metricsOnMainPort: configuration.metricsPort == nil, logger: logger)
    }

    /// The services' edge observers, publishing straight to `publisher` (never an outbox).
    static func edgeObservers(of descriptors: [ServiceDescriptor], publisher: any EventPublisher, logger: Logger) -> [any EdgeObserver] {
        let context = EdgeContext(publish: { try await publisher.publish($0) }, logger: logger)
        return descriptors.compactMap { $0.edge?(context) }
    }

    /// The single node's federation gateway over its in-process services; nil for a process of
    /// one service (its /graphql is that service's subgraph).
    static func gateway(of services: RunningServices, introspection: Bool, logger: Logger) throws -> FederationGateway? {
        services.all.count > 1 ? try GatewayAssembly.inProcess(services, introspection: introspection, logger: logger) : nil
    }

    /// `responseCache` serves the public endpoint's anonymous answers when it is the gateway.
    /// Subgraph endpoints answer only requests with `internalCredential` (see `InternalCredential`).
    static func router(
        _ services: RunningServices, gateway: FederationGateway?, postgres: PostgresClient, tokens: TokenService, registry: PrometheusCollectorRegistry?,
        poolSize: Int, clients: ClientIdentification, responseCache: ResponseCache?, edge: [any EdgeObserver] = [], internalCredential: InternalCredential,
        gate: OverloadGate?, metricsOnMainPort: Bool, logger: Logger
    ) -> Router<EmporiumRequestContext> {
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
        if let gateway {
            GraphQLHTTP(executor: gateway, tokens: tokens, clients: clients, responseCache: responseCache, observers: edge, gate: gate, logger: logger)
                .addRoutes(to: router)
        } else if let service = services.all.first {
            // One service's process: its /graphql is what `emporium serve gateway` calls. Gated
            // like a node's: its pool also serves its event flow, which a flood must not starve.
            GraphQLHTTP(
                executor: service.instance.endpoint, tokens: tokens, clients: clients, internalCredential: internalCredential, gate: gate, logger: logger
            ).addRoutes(to: router)
        }
        OperationalRoutes(postgres: postgres, registry: registry, poolSize: poolSize, logger: logger).add(to: router, metrics: metricsOnMainPort)
        return router
    }

    /// What the processes of a deployment share, or the single node keeps to itself.
    struct SharedState {
        let rateLimiter: any RateLimiter
        let cache: any Cache
        let fanOut: any FanOut
        /// Redis connections to run as services (none in memory).
        let redisServices: [any Service]
        let redis: RedisClient?
    }

    /// Rate limiter, product cache and live fan-out: in memory on a single node; shared through
    /// Redis when `EMPORIUM_REDIS_URL` is set.
    static func sharedState(_ configuration: RuntimeConfiguration, logger: Logger) throws -> SharedState {
        guard let url = configuration.redisURL else {
            let cache = InMemoryCache(maximumEntries: configuration.cacheEntries, maximumBytes: configuration.cacheBytes, clock: ContinuousClock())
            return SharedState(rateLimiter: InMemoryRateLimiter(clock: ContinuousClock()), cache: cache, fanOut: InProcessFanOut(), redisServices: [], redis: nil)
        }
        let redisConfiguration = try RedisConfiguration(url: url)
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        let subscriber = RedisSubscriber(configuration: redisConfiguration, logger: logger)
        let mode: RateLimiterFailureMode = configuration.rateLimitFailClosed ? .closed(retryAfter: .seconds(1)) : .open
        return SharedState(
            rateLimiter: RedisRateLimiter(client: redis, failureMode: mode, logger: logger), cache: RedisCache(client: redis, keyPrefix: "emporium:cache:"),
            fanOut: RedisFanOut(client: redis, subscriber: subscriber), redisServices: [redis, subscriber], redis: redis)
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
        let shared = try sharedState(configuration, logger: logger)
        let redis = shared.redis
        let services = try await RunningServices.start(descriptors, context: ServiceContext(
            postgres: client, settings: EnvironmentSettings(configuration.environment), cache: configuration.cacheEnabled ? shared.cache : nil,
            rateLimiter: shared.rateLimiter, tokenPolicy: configuration.tokenPolicy, fanOut: shared.fanOut,
            mailer: try MailerSettings.mailer(EnvironmentSettings(configuration.environment), logger: logger), logger: logger))
        // A service here that signs access tokens is the JWKS of every token check here.
        jwks.bind(services.all.lazy.compactMap(\.instance.jwks).first)
        let invalidation = tagInvalidation(configuration, redis: redis, services: descriptors)
        let responseCache = invalidation.map {
            ResponseCache(invalidation: $0, maximumBytes: configuration.responseCacheBytes, logger: logger)
        }
        let gateway = try gateway(of: services, introspection: configuration.introspectionEnabled, logger: logger)
        let events = try EventBusAssembly(
            configuration: configuration, services: descriptors, processors: services.processors(client: client, logger: logger),
            invalidation: invalidation, client: client, logger: logger)
        // What services run at the public edge, when this process serves it (the single node).
        let edge = gateway == nil ? [] : edgeObservers(of: descriptors, publisher: events.direct, logger: logger)
        let router = router(
            services, gateway: gateway, postgres: client, tokens: tokens, registry: registry, poolSize: configuration.databasePoolSize,
            clients: ClientIdentification(trustedProxies: configuration.trustedProxies), responseCache: responseCache, edge: edge,
            internalCredential: try configuration.internalCredential(logger: logger),
            gate: configuration.overloadGate(defaultLimit: OverloadGate.defaultLimit(databasePool: configuration.databasePoolSize), logger: logger),
            metricsOnMainPort: configuration.metricsPort == nil, logger: logger)

        // Services start in this order and stop in reverse: stores first, then the event flow
        // and jobs (held until the schema is current), the HTTP server last.
        let gate = StartGate()
        let background: [any Service] = events.services + services.all.flatMap(\.instance.background) + edge.map { $0 as any Service }
        var all: [any Service] = [client]
        all += shared.redisServices
        if let metricsPort = configuration.metricsPort {
            all.append(OperationalRoutes(postgres: client, registry: registry, poolSize: configuration.databasePoolSize, logger: logger)
                .metricsServer(host: configuration.host, port: metricsPort, logger: logger))
        }
        all += background.map { GatedService(gate: gate, inner: $0) }
        // The single node upgrades /graphql to the realtime gateway's WebSocket; a process of one
        // service has no gateway to resolve subscriptions with (`emporium serve realtime` does).
        let realtimeConfiguration = try RealtimeGateway.Configuration.from(EnvironmentSettings(configuration.environment))
        // Anonymous answers the response cache holds are written by the connection's handler,
        // before the router (CachedAnswerHandler).
        let cachedAnswers = responseCache.map { CachedAnswers(responseCache: $0, observers: edge) }
        let httpMetrics = HTTPRequestMetrics()
        let server: HTTPServerBuilder = gateway.map { gateway in
            .graphQLWebSocket(
                RealtimeGateway(
                    tokens: tokens, hub: LiveHub(fanOut: shared.fanOut, executor: gateway, batchExecutor: gateway.liveBatches, logger: logger), executor: gateway,
                    subscriptions: gateway.supergraph.subscriptionFields, configuration: realtimeConfiguration, logger: logger),
                additionalHTTPHandlers: {
                    cachedAnswers.map { [CachedAnswerHandler(answers: $0, serverName: serverName, metrics: httpMetrics)] } ?? []
                })
        } ?? .http1()
        var app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: serverName),
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
