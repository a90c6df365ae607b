import ArgumentParser
import Database
import Runtime
import ServiceKit

/// A service's subcommand (`ServiceDescriptor.commands`) as an `emporium` command: its own flags
/// plus the database flags; it runs after every service's migrations are applied.
struct ServiceCommandRunner<Body: ServiceCommand>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { Body.configuration }

    @OptionGroup var common: CommonOptions
    @OptionGroup var body: Body

    func run() async throws {
        let body = body
        try await withDatabase(common, label: "emporium.\(Body.configuration.commandName ?? "command")") { client, configuration, logger in
            try await Migrator(client: client, logger: logger).migrate(EmporiumApplication.migrationSets())
            try await body.run(in: ServiceContext(postgres: client, settings: EnvironmentSettings(configuration.environment), logger: logger))
        }
    }
}

extension ServiceCommand {
    /// This command wrapped for the `emporium` executable.
    static var command: any ParsableCommand.Type { ServiceCommandRunner<Self>.self }
}
