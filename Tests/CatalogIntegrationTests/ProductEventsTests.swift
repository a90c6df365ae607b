@testable import Catalog
import Contracts
import Database
import EmporiumCore
import CatalogTesting
import EmporiumTesting
import Foundation
import Identity
import Logging
import PostgresNIO
import Testing

/// Product changes announce themselves: the right events, in the outbox, in the change's transaction.
@Suite struct ProductEventsTests {
    func withCatalog(_ body: @Sendable (ProductCatalog, PostgresClient) async throws -> Void) async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let logger = Logger(label: "test")
            let catalog = ProductCatalog(
                products: PostgresProductStore(client: client, logger: logger),
                categories: PostgresCategoryStore(client: client, logger: logger),
                search: PostgresSearchIndex(client: client, logger: logger), clock: TestClock()
            )
            try await body(catalog, client)
        }
    }

    /// (type, aggregate id) of the outbox rows, oldest first.
    func outbox(_ client: PostgresClient) async throws -> [(String, String)] {
        try await client.query("SELECT event_type, aggregate_id FROM catalog.outbox ORDER BY id", logger: Logger(label: "test"))
            .decode((String, String).self).collectAll()
    }

    @Test func everyCommandWritesItsEventsToTheOutbox() async throws {
        try await withCatalog { catalog, client in
            let product = try await newProduct(catalog, title: "Смартфон Галактика S24", price: 8_999_000)
            let id = product.id.description
            var changes = ProductFieldsInput(title: "Смартфон Галактика S24 Ultra")
            changes.priceAmount = 9_999_000
            let renamed = try await catalog.updateProduct(id: product.id, expectedVersion: 1, changes: changes, by: TestUsers.seller)
            let published = try await catalog.publishProduct(id: product.id, expectedVersion: renamed.version, publishAt: nil, by: TestUsers.seller)
            _ = try await catalog.archiveProduct(id: product.id, expectedVersion: published.version, by: TestUsers.seller)

            let rows = try await outbox(client)
            #expect(rows.map(\.0) == ["ProductCreated", "ProductUpdated", "PriceChanged", "ProductPublished", "ProductArchived"])
            #expect(rows.allSatisfy { $0.1 == id })
        }
    }

    @Test func aRejectedChangeAnnouncesNothing() async throws {
        try await withCatalog { catalog, client in
            let product = try await newProduct(catalog, title: "Ноутбук")
            await #expect(throws: EmporiumError.self) {
                try await catalog.updateProduct(id: product.id, expectedVersion: 7, changes: ProductFieldsInput(title: "Другой"), by: TestUsers.seller)
            }
            await #expect(throws: EmporiumError.self) {
                try await catalog.updateProduct(id: product.id, expectedVersion: 1, changes: ProductFieldsInput(title: "Чужой"), by: TestUsers.otherSeller)
            }
            #expect(try await outbox(client).map(\.0) == ["ProductCreated"])
        }
    }

    @Test func eventsCarryTheStoredProduct() throws {
        let now = Date(timeIntervalSince1970: 1_764_583_200)
        var product = Product(
            id: ProductID(), sellerID: UserID("s-1"), title: "Лампа", slug: Slug(from: "Лампа", fallback: "p"), description: "",
            price: try Money.price(amount: 1500, currency: "EUR", field: "p"), compareAtPrice: nil, categoryID: nil, attributes: [],
            imageURLs: [], status: .draft, publishAt: nil, createdAt: now, updatedAt: now, version: 1)
        let created = try #require(ProductEvents.events(from: nil, to: product).first as? ProductCreated)
        #expect(created.product == ProductSnapshot(
            productId: product.id.description, sellerId: "s-1", title: "Лампа", slug: product.slug.rawValue,
            price: MoneyValue(amount: 1500, currency: "EUR"), status: "DRAFT", categoryId: nil, version: 1))

        let before = product
        product.status = .scheduled
        product.publishAt = now.addingTimeInterval(86_400)
        product.version = 2
        let events = ProductEvents.events(from: before, to: product)
        #expect(events.count == 1)
        let scheduled = try #require(events.first as? ProductPublicationScheduled)
        #expect(scheduled.publishAt == product.publishAt)
        #expect(scheduled.product.status == "SCHEDULED")

        // Nothing changed (an idempotent publish): nothing to announce.
        #expect(ProductEvents.events(from: product, to: product).isEmpty)

        var edited = product
        edited.imageURLs = ["https://img.example/1.jpg"]
        edited.attributes = [ProductAttribute(key: "color", value: "black")]
        let updated = try #require(ProductEvents.events(from: product, to: edited).first as? ProductUpdated)
        #expect(updated.changedFields == ["attributes", "imageUrls"])
    }
}
