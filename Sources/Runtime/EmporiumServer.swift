import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// `emporium serve`: provision the database, run the application until SIGINT/SIGTERM, drain,
/// then stop the private cluster if this process started one.
public enum EmporiumServer {
    public static func serve(configuration: RuntimeConfiguration, registry: PrometheusCollectorRegistry?, logger: Logger) async throws {
        logger.info("starting emporium (single node)", metadata: ["configuration": "\(configuration)"])
        let database = try await DatabaseProvisioning.provision(configuration, logger: logger)
        do {
            let host = configuration.host
            let app = try await SingleNodeApplication.application(
                configuration: configuration, postgres: database.configuration, registry: registry, logger: logger
            ) { port in
                let shownHost = host == "0.0.0.0" ? "127.0.0.1" : host
                // Printed, not only logged: the run command's contract is to print the URL.
                print("Emporium is running: http://\(shownHost):\(port)/graphql (health: /health/ready, metrics: /metrics)")
                fflush(nil)
            }
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await database.cluster?.stop()
            throw error
        }
        await database.cluster?.stop()
        logger.info("emporium stopped")
    }
}
