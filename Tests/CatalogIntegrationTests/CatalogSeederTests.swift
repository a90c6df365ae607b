@testable import Catalog
import CatalogTesting
import EmporiumTesting
import Logging
import PostgresNIO
import Testing
import Database

@Suite struct CatalogSeederTests {
    @Test func seedsVariedSearchableProductsWithUniqueSlugs() async throws {
        let fixture = try await CatalogFixture.make("seed")
        do { try await fixture.run { service, client in
            let seeder = CatalogSeeder(client: client, logger: Logger(label: "test.seed"), seed: 7)
            let report = try await seeder.seed(products: 600)
            #expect(report.products == 600)
            // Seeding twice adds, never collides: the second run's slugs avoid the first run's.
            _ = try await seeder.seed(products: 600)
            let counts = try await client.query("""
                SELECT count(*)::bigint, count(DISTINCT slug)::bigint,
                       count(*) FILTER (WHERE title ~ '[А-Яа-я]')::bigint,
                       count(DISTINCT status)::bigint, count(DISTINCT category_id)::bigint
                FROM catalog.products
                """).decode((Int64, Int64, Int64, Int64, Int64).self).collectAll().first
            let (total, slugs, russian, statuses, categories) = try #require(counts)
            #expect(total == 1200 && slugs == 1200)
            #expect(russian > 300 && russian < 900, "both languages: \(russian) Russian titles of \(total)")
            #expect(statuses == 4)
            #expect(categories > 10)
            let slugRows = try await client.query("SELECT count(*)::bigint FROM catalog.product_slugs").decode(Int64.self).collectAll().first
            #expect(slugRows == 1200)
            // Seeded products are searchable and resolvable like any other.
            let found = try await service.catalog.search(text: "смартфоны", first: 5, after: nil, viewer: nil)
            #expect(!found.items.isEmpty)
        } } catch {
            // PSQLError hides the server's message from `description`.
            Issue.record("\(String(reflecting: error))")
        }
    }
}
