import AsyncHTTPClient
import FanOut
import Foundation
import Gateway
import Hummingbird
import HummingbirdCore
import Identity
import Logging
import Prometheus
import Realtime
import Redis
import ServiceKit
import ServiceLifecycle

/// `emporium serve realtime`: a node of the one WebSocket gateway in the distributed topology.
/// Stateless — run as many as the connections need: each follows on Redis only the channels its
/// own clients watch, and resolves events through the subgraphs (EMPORIUM_SUBGRAPHS) like the
/// federation gateway does. It has no database.
public enum RealtimeServer {
    public static func serve(configuration: RuntimeConfiguration, registry: PrometheusCollectorRegistry?, logger: Logger) async throws {
        guard let url = configuration.redisURL else {
            throw ConfigurationError("`emporium serve realtime` needs EMPORIUM_REDIS_URL: realtime nodes receive the services' live signals through Redis")
        }
        logger.info("starting emporium (realtime)", metadata: ["subgraphs": "\(configuration.subgraphs.map { "\($0.name)=\($0.url)" })"])
        let client = HTTPSubgraphTransport.makeHTTPClient(connectionsPerSubgraph: 32)
        do {
            let gateway = try await GatewayServer.federation(configuration: configuration, client: client, logger: logger)
            let tokens = try await configuration.tokenService(logger: logger, jwks: configuration.jwksURL.map(HTTPJWKSSource.init(url:)))
            let redisConfiguration = try RedisConfiguration(url: url)
            let redis = RedisClient(configuration: redisConfiguration, logger: logger)
            let subscriber = RedisSubscriber(configuration: redisConfiguration, logger: logger)
            let hub = LiveHub(fanOut: RedisFanOut(client: redis, subscriber: subscriber), executor: gateway, batchExecutor: gateway.liveBatches, logger: logger)
            let realtime = RealtimeGateway(
                tokens: tokens, hub: hub, executor: gateway, subscriptions: gateway.supergraph.subscriptionFields, configuration: try .from(EnvironmentSettings(configuration.environment)), logger: logger)

            let router = Router(context: EmporiumRequestContext.self)
            let operational = OperationalRoutes(postgres: nil, registry: registry, poolSize: 0, logger: logger)
            operational.add(to: router, metrics: configuration.metricsPort == nil)
            var services: [any Service] = [redis, subscriber]
            if let metricsPort = configuration.metricsPort {
                services.append(operational.metricsServer(host: configuration.host, port: metricsPort, logger: logger))
            }
            let host = configuration.host
            let app = Application(
                router: router,
                server: .graphQLWebSocket(realtime),
                configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "emporium-realtime"),
                services: services,
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? 0
                    print("Emporium realtime is running: http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/graphql (WebSocket upgrade, graphql-transport-ws)")
                    fflush(nil)
                },
                logger: logger
            )
            try await ProcessLifecycle.run(app, configuration: configuration, logger: logger)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        logger.info("emporium realtime stopped")
    }
}
