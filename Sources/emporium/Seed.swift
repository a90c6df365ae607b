import ArgumentParser
import Catalog
import Database
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
        let products = products
        let seed = seed
        try await withDatabase(common, label: "emporium.seed") { client, _, logger in
            try await Migrator(client: client, logger: logger).migrate(EmporiumApplication.migrationSets())
            let printer = ProgressPrinter(total: products)
            let report = try await CatalogSeeder(client: client, logger: logger, seed: seed)
                .seed(products: products) { printer.update($0) }
            print(String(format: "Seeded %d products in %.1f s (%.0f rows/s).", report.products, report.seconds, Double(report.products) / max(report.seconds, 0.001)))
        }
    }
}
