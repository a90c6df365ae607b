import ArgumentParser
import Runtime

/// The `emporium` command. Subcommands stay thin: parsing flags and calling `Runtime`.

struct Emporium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emporium",
        abstract: "Emporium, a real-time marketplace backend.",
        subcommands: [Serve.self, Migrate.self, Backup.self, Restore.self, Token.self, Events.self, JobsCommand.self, Compose.self, Plan.self]
            + ServiceRegistry.all.flatMap(\.commands).map { $0.command },
        defaultSubcommand: Serve.self
    )
}

/// Flags shared by commands that talk to the database; each overrides its environment variable.
struct CommonOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (EMPORIUM_DATABASE_URL). Without one, a private cluster under the data directory is used.")
    var databaseURL: String?

    @Option(help: "Data directory for the private cluster and the development JWT secret (EMPORIUM_DATA_DIR, default .emporium).")
    var dataDir: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (EMPORIUM_LOG_LEVEL).")
    var logLevel: String?

    func configuration() throws -> RuntimeConfiguration {
        var configuration = try RuntimeConfiguration.fromEnvironment()
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        return configuration
    }
}

import Logging
import ServiceKit
