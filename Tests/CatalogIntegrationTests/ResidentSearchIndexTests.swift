@testable import Catalog
import CatalogTesting
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// The resident index's feed against a real PostgreSQL: what another transaction commits is
/// searchable at once, a transaction that commits late is not lost, deletions and phrases, and
/// the background reader.
@Suite struct ResidentSearchIndexTests {
    let logger = Logger(label: "test")

    /// A catalog on `client` searching through its own resident index (not the fixture's).
    func catalog(_ client: PostgresClient, freshness: ResidentSearchIndex.Freshness) -> (ProductCatalog, ResidentSearchIndex) {
        let resident = ResidentSearchIndex(client: client, freshness: freshness, logger: logger)
        let catalog = ProductCatalog(
            products: PostgresProductStore(client: client, logger: logger), categories: PostgresCategoryStore(client: client, logger: logger),
            search: resident)
        return (catalog, resident)
    }

    func titles(_ catalog: ProductCatalog, _ query: String) async throws -> [String] {
        try await catalog.search(text: query, first: 20, after: nil, viewer: TestUsers.admin).items.map(\.title).sorted()
    }

    @Test func aLateCommitIsNotLostAndOthersAreNotHeldBackByIt() async throws {
        let fixture = try await CatalogFixture.make("resident_feed")
        try await fixture.run { service, client in
            let catalog = service.catalog
            let index = try #require(service.residentSearch)
            let early = try await newProduct(catalog, title: "Чайник Ранний")
            let other = try await newProduct(catalog, title: "Чайник Другой")
            #expect(try await titles(catalog, "чайник") == ["Чайник Другой", "Чайник Ранний"])
            #expect(index.isReady)

            // A transaction that renames one product and stays open (it holds the horizon back)…
            let (opened, open) = AsyncStream.makeStream(of: Void.self)
            let (released, release) = AsyncStream.makeStream(of: Void.self)
            let slow = Task {
                try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    try await connection.query("UPDATE catalog.products SET title = 'Самовар Поздний' WHERE id = \(early.id.uuid)", logger: logger)
                    open.yield()
                    for await _ in released { break }
                    try await connection.query("COMMIT", logger: logger)
                }
            }
            for await _ in opened { break }
            // …does not delay another transaction's change, committed after it began (other words:
            // a title word new to both would wait on the first one's `search_words` row)…
            try await client.query("UPDATE catalog.products SET title = 'Термос Быстрый' WHERE id = \(other.id.uuid)", logger: logger)
            #expect(try await titles(catalog, "термос") == ["Термос Быстрый"])
            #expect(try await titles(catalog, "чайник") == ["Чайник Ранний"])
            #expect(try await titles(catalog, "самовар").isEmpty)
            // …and its own change is read when it commits, after the later one was.
            release.yield()
            try await slow.value
            #expect(try await titles(catalog, "самовар") == ["Самовар Поздний"])
            #expect(try await titles(catalog, "термос") == ["Термос Быстрый"])
            #expect(try await titles(catalog, "чайник").isEmpty)

            // A deleted row leaves the index (nothing in the catalog deletes today; an operator may).
            try await client.query("DELETE FROM catalog.product_slugs WHERE product_id = \(other.id.uuid)", logger: logger)
            try await client.query("DELETE FROM catalog.products WHERE id = \(other.id.uuid)", logger: logger)
            #expect(try await titles(catalog, "термос").isEmpty)
            #expect(index.size.documents == 1)
        }
    }

    @Test func counterChangesAreLoggedAsFactsAndWrittenInPlace() async throws {
        let fixture = try await CatalogFixture.make("resident_facts")
        try await fixture.run { service, client in
            let catalog = service.catalog
            let index = try #require(service.residentSearch)
            let first = try await newProduct(catalog, title: "Пылесос Первый")
            let second = try await newProduct(catalog, title: "Пылесос Второй")
            func popular() async throws -> [String] {
                try await catalog.search(SearchRequest(query: "пылесос", order: .popularity), viewer: TestUsers.admin).page.items.map(\.title)
            }
            let before = try await index.feed.horizon()
            try await client.query("""
                INSERT INTO catalog.product_counters (product_id, view_count) VALUES (\(first.id.uuid), 1), (\(second.id.uuid), 50)
                """, logger: logger)
            #expect(try await popular() == ["Пылесос Второй", "Пылесос Первый"])
            // Views as the projection adds them: an update of the counters alone.
            try await client.query("UPDATE catalog.product_counters SET view_count = 90 WHERE product_id = \(first.id.uuid)", logger: logger)
            #expect(try await popular() == ["Пылесос Первый", "Пылесос Второй"])
            try await client.query("UPDATE catalog.product_counters SET sales_count = 1 WHERE product_id = \(second.id.uuid)", logger: logger)
            #expect(try await popular() == ["Пылесос Второй", "Пылесос Первый"])

            // Each counter statement's entries say they are counters; a product's own change does not.
            try await client.query("UPDATE catalog.products SET title = 'Пылесос Третий' WHERE id = \(first.id.uuid)", logger: logger)
            let entries = try await index.feed.entries(from: before).entries
            #expect(entries.filter(\.factsOnly).count == 4, "\(entries)")
            #expect(entries.contains { !$0.factsOnly && $0.product == first.id.uuid })
            #expect(try await popular() == ["Пылесос Второй", "Пылесос Третий"])
            #expect(index.size.dead == 1)  // the rename made a new document; the counters did not
            // Counters of a product the index does not hold are skipped, not invented.
            var corpus = ResidentCorpus()
            corpus.writeCounters(SearchChangeFeed.Facts(product: first.id.uuid, available: 1, sales: 2, views: 3))
            #expect(corpus.count == 0)
        }
    }

    @Test func phrasesAndSearchesBeforeTheFirstLoadAreAnsweredByPostgreSQL() async throws {
        let fixture = try await CatalogFixture.make("resident_fallback")
        try await fixture.run { _, client in
            let (catalog, resident) = catalog(client, freshness: .every(.seconds(3600)))
            _ = try await newProduct(catalog, title: "Красный чайник")
            _ = try await newProduct(catalog, title: "Чайник с красной ручкой")
            // Never loaded (its reader is not running): PostgreSQL answers, current as ever.
            #expect(!resident.isReady)
            #expect(try await titles(catalog, "чайник").count == 2)
            try await resident.catchUp()
            #expect(resident.isReady)
            // A phrase is PostgreSQL's to evaluate (the copy keeps no positions; an AND of the words
            // would find both).
            let phrase = try await titles(catalog, "\"красный чайник\"")
            #expect(phrase == ["Красный чайник"], "\(phrase)")
            #expect(try await titles(catalog, "красный -\"красный чайник\"") == ["Чайник с красной ручкой"])
            #expect(try await titles(catalog, "чайник").count == 2)
        }
    }

    @Test func theBackgroundReaderPicksUpChangesWithinItsInterval() async throws {
        let fixture = try await CatalogFixture.make("resident_reader")
        try await fixture.run { _, client in
            let (catalog, resident) = catalog(client, freshness: .every(.milliseconds(50)))
            let reader = Task { try await resident.run() }
            defer { reader.cancel() }
            _ = try await newProduct(catalog, title: "Утюг Паровой")
            // Bounded wait: the reader loads, then reads the changes every 50 ms.
            var seen = false
            for _ in 0..<200 where !seen {
                seen = resident.isReady && resident.size.documents == 1
                if !seen { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(seen, "the reader did not load the product within 10 s")
            #expect(try await titles(catalog, "утюг") == ["Утюг Паровой"])
        }
    }
}
