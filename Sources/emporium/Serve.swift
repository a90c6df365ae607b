import ArgumentParser
import Logging
import Runtime
import ServiceKit

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every service in one process (the single node), or one service of the distributed topology.",
        discussion: "`emporium serve` runs every service with in-process events. `emporium serve <service>` runs one; events then travel through Kafka (EMPORIUM_KAFKA_BROKERS)."
    )

    @Argument(help: "The service to run alone: \(ServiceRegistry.names.joined(separator: ", ")), or gateway (the federation gateway over EMPORIUM_SUBGRAPHS). Default: all services.")
    var service: String?

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (EMPORIUM_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (EMPORIUM_PORT, default 8080).")
    var port: Int?

    func run() async throws {
        if service == "gateway" {
            return try await serveGateway()
        }
        let services: [ServiceDescriptor]
        do {
            services = try ServiceRegistry.select(service)
        } catch {
            throw ValidationError("\(error) (or gateway)")
        }
        var configuration = try common.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let registry = Bootstrap.process(logLevel: configuration.logLevel)
        let logger = Logger(label: "emporium")
        do {
            try await EmporiumServer.serve(configuration: configuration, services: services, registry: registry, logger: logger)
        } catch {
            logger.critical("emporium could not run: \(String(reflecting: error))")
            throw ExitCode.failure
        }
    }

    func serveGateway() async throws {
        var configuration = try common.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let registry = Bootstrap.process(logLevel: configuration.logLevel)
        let logger = Logger(label: "emporium.gateway")
        do {
            try await GatewayServer.serve(configuration: configuration, registry: registry, logger: logger)
        } catch {
            logger.critical("the gateway could not run: \(String(reflecting: error))")
            throw ExitCode.failure
        }
    }
}
