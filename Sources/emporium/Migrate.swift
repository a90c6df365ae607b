import ArgumentParser
import Database
import Runtime

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations of every service, then exit."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await withDatabase(common, label: "emporium.migrate") { client, _, logger in
            let applied = try await Migrator(client: client, logger: logger).migrate(EmporiumApplication.migrationSets())
            print(applied.isEmpty ? "Database is up to date." : "Applied: \(applied.joined(separator: ", "))")
        }
    }
}
