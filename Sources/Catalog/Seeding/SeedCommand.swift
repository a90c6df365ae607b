import ArgumentParser
import Foundation
import ServiceKit

/// `emporium seed`: fills the catalog with realistic products for development and benchmarks.
struct SeedCommand: ServiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the catalog with realistic products (Russian and English), categories and sellers."
    )

    @Option(help: "Number of products to create.")
    var products: Int = 10_000

    @Option(help: "Random seed, for reproducible data.")
    var seed: UInt64 = 42

    func validate() throws {
        guard (1...50_000_000).contains(products) else { throw ValidationError("--products must be between 1 and 50,000,000") }
    }

    func run(in context: ServiceContext) async throws {
        let printer = ProgressPrinter(total: products)
        let report = try await CatalogSeeder(client: context.postgres, logger: context.logger, seed: seed)
            .seed(products: products) { printer.update($0) }
        print(String(format: "Seeded %d products in %.1f s (%.0f rows/s).", report.products, report.seconds, Double(report.products) / max(report.seconds, 0.001)))
    }
}
