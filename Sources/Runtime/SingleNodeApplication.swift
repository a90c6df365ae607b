import Catalog
import Database
import Foundation
import GraphQLSupport
import Hummingbird
import Identity
import Logging
import PostgresNIO
import Prometheus
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
        postgres: PostgresClient, tokens: TokenService, registry: PrometheusCollectorRegistry?, poolSize: Int, logger: Logger
    ) throws -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(MetricsMiddleware())
        let catalog = try CatalogService(client: postgres, logger: logger)
        GraphQLHTTP(executor: catalog.endpoint, tokens: tokens, logger: logger).addRoutes(to: router)
        OperationalRoutes(postgres: postgres, registry: registry, poolSize: poolSize, logger: logger).add(to: router)
        return router
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
        let router = try router(postgres: client, tokens: tokens, registry: registry, poolSize: configuration.databasePoolSize, logger: logger)
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "emporium"),
            services: [client],
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
