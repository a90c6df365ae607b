import Database
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceKit
import ServiceLifecycle

/// `emporium serve`: provision the database, run the application until SIGINT/SIGTERM, drain,
/// then stop the private cluster if this process started one.
public enum EmporiumServer {
    /// - Parameter services: all of them (the single node) or one (a distributed-topology process,
    ///   which needs Kafka to reach the others).
    public static func serve(
        configuration: RuntimeConfiguration, services: [ServiceDescriptor] = ServiceRegistry.all,
        registry: PrometheusCollectorRegistry?, logger: Logger
    ) async throws {
        let names = services.map(\.name)
        let isSingleNode = Set(names) == Set(ServiceRegistry.names)
        if !isSingleNode, configuration.kafkaBrokers == nil {
            throw ConfigurationError("serving \(names.joined(separator: ", ")) without the other services needs EMPORIUM_KAFKA_BROKERS (host:port,…) so that events reach them; run `emporium serve` for the single node")
        }
        let topology = isSingleNode ? "single node" : names.joined(separator: ", ")
        logger.info("starting emporium (\(topology))", metadata: ["configuration": "\(configuration)"])
        let database = try await DatabaseProvisioning.provision(configuration, logger: logger)
        do {
            let host = configuration.host
            let app = try await EmporiumApplication.application(
                configuration: configuration, services: services, postgres: database.configuration, registry: registry, logger: logger
            ) { port in
                announce(host: host, port: port)
            }
            try await ProcessLifecycle.run(app, configuration: configuration, logger: logger)
        } catch {
            await database.cluster?.stop()
            throw error
        }
        await database.cluster?.stop()
        logger.info("emporium stopped")
    }

    /// Printed, not only logged: the run command's contract is to print the URL.
    static func announce(host: String, port: Int) {
        let shownHost = host == "0.0.0.0" ? "127.0.0.1" : host
        print("Emporium is running: http://\(shownHost):\(port)/graphql (health: /health/ready, metrics: /metrics)")
        fflush(nil)
    }
}
