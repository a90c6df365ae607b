import ArgumentParser
import Database
import Logging
import PostgresNIO
import Runtime

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations of every service, then exit."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let configuration = try common.configuration()
        _ = Bootstrap.process(logLevel: configuration.logLevel)
        let logger = Logger(label: "emporium.migrate")
        let database = try await DatabaseProvisioning.provision(configuration, logger: logger)
        do {
            let applied = try await DatabaseSession.run(database.configuration, logger: logger) { client in
                try await Migrator(client: client, logger: logger).migrate(SingleNodeApplication.migrationSets())
            }
            print(applied.isEmpty ? "Database is up to date." : "Applied: \(applied.joined(separator: ", "))")
        } catch {
            await database.cluster?.stop()
            logger.critical("migration failed: \(String(reflecting: error))")
            throw ExitCode.failure
        }
        await database.cluster?.stop()
    }
}
