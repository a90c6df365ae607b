import ArgumentParser
import Catalog
import Foundation
import Logging
import Runtime

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the catalog with realistic products (Russian and English), categories and sellers."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Number of products to create.")
    var products: Int = 10_000

    @Option(help: "Random seed, for reproducible data.")
    var seed: UInt64 = 42

    func validate() throws {
        guard (1...50_000_000).contains(products) else { throw ValidationError("--products must be between 1 and 50,000,000") }
    }

    func run() async throws {
        let configuration = try common.configuration()
        _ = Bootstrap.process(logLevel: configuration.logLevel)
        let logger = Logger(label: "emporium.seed")
        let database = try await DatabaseProvisioning.provision(configuration, logger: logger)
        do {
            let report = try await DatabaseSession.run(database.configuration, logger: logger) { client in
                try await Migrator(client: client, logger: logger).migrate(SingleNodeApplication.migrationSets())
                let printer = ProgressPrinter(total: products)
                return try await CatalogSeeder(client: client, logger: logger, seed: seed)
                    .seed(products: products) { printer.update($0) }
            }
            print(String(format: "Seeded %d products in %.1f s (%.0f rows/s).", report.products, report.seconds, Double(report.products) / max(report.seconds, 0.001)))
        } catch {
            await database.cluster?.stop()
            logger.critical("seeding failed: \(String(reflecting: error))")
            throw ExitCode.failure
        }
        await database.cluster?.stop()
    }
}

import Database
