import ArgumentParser
import Database
import Runtime
import ServiceKit

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations of every service, or of one, then exit.",
        discussion: "In the distributed topology each service has its own database: run `emporium migrate <service>` against it (EMPORIUM_DATABASE_URL) before the service's new version rolls out, and start the service with EMPORIUM_MIGRATE_ON_START=false."
    )

    @Argument(help: "Only this service's migrations: \(ServiceRegistry.names.joined(separator: ", ")). Default: every service's.")
    var service: String?

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let services: [ServiceDescriptor]
        do {
            services = try ServiceRegistry.select(service)
        } catch {
            throw ValidationError("\(error)")
        }
        try await withDatabase(common, label: "emporium.migrate") { client, _, logger in
            let applied = try await Migrator(client: client, logger: logger).migrate(EmporiumApplication.migrationSets(for: services))
            print(applied.isEmpty ? "Database is up to date." : "Applied: \(applied.joined(separator: ", "))")
        }
    }
}
