import AsyncHTTPClient
import Caching
import Foundation
import Gateway
import GraphQLSupport
import Hummingbird
import Identity
import Kafka
import Messaging
import Logging
import Prometheus
import Redis
import ServiceKit
import ServiceLifecycle

/// `emporium serve gateway`: the federation gateway of the distributed topology. It has no
/// database; it composes the subgraphs it is given (or reads a supergraph file), then serves the
/// one client-facing `/graphql`, calling subgraphs over HTTP with keep-alive connections.
public enum GatewayServer {
    /// Operations a gateway process runs at once by default: it holds no database pool, and
    /// what it waits on is the subgraphs, each with its own.
    static let defaultMaximumInFlight = 256

    public static func serve(configuration: RuntimeConfiguration, registry: PrometheusCollectorRegistry?, logger: Logger) async throws {
        logger.info("starting emporium (gateway)", metadata: ["subgraphs": "\(configuration.subgraphs.map { "\($0.name)=\($0.url)" })"])
        // A client of its own that fails fast when a subgraph refuses connections (the shared one
        // keeps retrying until the request times out), 32 keep-alive connections per subgraph.
        let client = HTTPSubgraphTransport.makeHTTPClient(connectionsPerSubgraph: 32)
        do {
            try await serve(configuration: configuration, client: client, registry: registry, logger: logger)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        logger.info("emporium gateway stopped")
    }

    /// The gateway over the subgraphs reached by HTTP (also what a realtime node resolves with).
    static func federation(configuration: RuntimeConfiguration, client: HTTPClient, logger: Logger) async throws -> FederationGateway {
        let transport = HTTPSubgraphTransport(
            client: client, urls: Dictionary(configuration.subgraphs.map { ($0.name, $0.url) }, uniquingKeysWith: { _, last in last }),
            credential: try configuration.internalCredential(logger: logger))
        let supergraph = try await GatewayAssembly.supergraph(configuration: configuration, transport: transport, logger: logger)
        return FederationGateway(
            supergraph: supergraph, transport: transport,
            configuration: GatewayAssembly.configuration(introspection: configuration.introspectionEnabled), logger: logger)
    }

    static func serve(configuration: RuntimeConfiguration, client: HTTPClient, registry: PrometheusCollectorRegistry?, logger: Logger) async throws {
        let gateway = try await federation(configuration: configuration, client: client, logger: logger)
        // The gateway runs no service: signed access tokens are checked against EMPORIUM_JWKS_URL.
        let tokens = try await configuration.tokenService(logger: logger, jwks: configuration.jwksURL.map(HTTPJWKSSource.init(url:)))
        // The response cache needs the services' invalidations, which only Redis carries here.
        var services: [any Service] = []
        var responseCache: ResponseCache?
        if configuration.responseCacheEnabled, let url = configuration.redisURL {
            let redis = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
            services.append(redis)
            responseCache = ResponseCache(invalidation: RedisTagInvalidation(client: redis), maximumBytes: configuration.responseCacheBytes, logger: logger)
        } else if configuration.responseCacheEnabled {
            logger.info("response cache off: it needs EMPORIUM_REDIS_URL (shared with the services) in the distributed topology")
        }
        // Edge observers (view counts) publish straight to Kafka; without it there is nowhere to send them.
        var edge: [any EdgeObserver] = []
        if let brokers = configuration.kafkaBrokers {
            let producer = KafkaProducer(configuration: try KafkaConfiguration(bootstrapServers: brokers), logger: logger)
            services.append(producer)
            edge = EmporiumApplication.edgeObservers(of: ServiceRegistry.all, publisher: KafkaEventPublisher(producer: producer), logger: logger)
            services += edge.map { $0 as any Service }
        } else {
            logger.info("product views are not counted: the gateway publishes them to Kafka (EMPORIUM_KAFKA_BROKERS)")
        }
        let router = Router(context: EmporiumRequestContext.self)
        router.middlewares.add(HTTPMetricsMiddleware())
        GraphQLHTTP(
            executor: gateway, tokens: tokens, clients: ClientIdentification(trustedProxies: configuration.trustedProxies),
            responseCache: responseCache, observers: edge,
            gate: configuration.overloadGate(defaultLimit: Self.defaultMaximumInFlight, logger: logger), logger: logger
        ).addRoutes(to: router)
        let operational = OperationalRoutes(postgres: nil, registry: registry, poolSize: 0, logger: logger)
        operational.add(to: router, metrics: configuration.metricsPort == nil)
        if let metricsPort = configuration.metricsPort {
            services.append(operational.metricsServer(host: configuration.host, port: metricsPort, logger: logger))
        }
        let host = configuration.host
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "emporium-gateway"),
            services: services,
            onServerRunning: { channel in EmporiumServer.announce(host: host, port: channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await ProcessLifecycle.run(app, configuration: configuration, logger: logger)
    }
}
