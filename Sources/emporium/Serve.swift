import ArgumentParser
import Logging
import Runtime
import ServiceKit

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every service in one process (the single node), or one service of the distributed topology.",
        discussion: "`emporium serve` runs every service with in-process events. `emporium serve <service>` runs one; events then travel through Kafka (EMPORIUM_KAFKA_BROKERS)."
    )

    @Argument(help: "The service to run alone: \(ServiceRegistry.names.joined(separator: ", ")), gateway (the federation gateway over EMPORIUM_SUBGRAPHS) or realtime (a WebSocket gateway node, with EMPORIUM_REDIS_URL too). Default: all services.")
    var service: String?

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (EMPORIUM_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (EMPORIUM_PORT, default 8080).")
    var port: Int?

    func run() async throws {
        if service == "gateway" || service == "realtime" {
            return try await serveGateway(realtime: service == "realtime")
        }
        let services: [ServiceDescriptor]
        do {
            services = try ServiceRegistry.select(service)
        } catch {
            throw ValidationError("\(error) (or gateway, or realtime)")
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

    /// The processes without a database: the federation gateway, or a realtime node.
    func serveGateway(realtime: Bool) async throws {
        var configuration = try common.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let registry = Bootstrap.process(logLevel: configuration.logLevel)
        let logger = Logger(label: realtime ? "emporium.realtime" : "emporium.gateway")
        do {
            if realtime {
                try await RealtimeServer.serve(configuration: configuration, registry: registry, logger: logger)
            } else {
                try await GatewayServer.serve(configuration: configuration, registry: registry, logger: logger)
            }
        } catch {
            logger.critical("the \(realtime ? "realtime node" : "gateway") could not run: \(String(reflecting: error))")
            throw ExitCode.failure
        }
    }
}
