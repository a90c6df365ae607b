import ArgumentParser
import Logging
import Runtime

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the single-node topology: every service in one process on one port."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (EMPORIUM_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (EMPORIUM_PORT, default 8080).")
    var port: Int?

    func run() async throws {
        var configuration = try common.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let registry = Bootstrap.process(logLevel: configuration.logLevel)
        let logger = Logger(label: "emporium")
        do {
            try await EmporiumServer.serve(configuration: configuration, registry: registry, logger: logger)
        } catch {
            logger.critical("emporium could not run: \(String(reflecting: error))")
            throw ExitCode.failure
        }
    }
}
