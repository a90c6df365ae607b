@testable import Catalog
import EmporiumCore
import CatalogTesting
import EmporiumTesting
import Foundation
import Identity
import Logging
import Testing

/// The catalog's use cases against a real PostgreSQL (one fresh database per test).
@Suite struct ProductCatalogTests {
    func withCatalog(clock: TestClock = TestClock(), _ body: @Sendable (ProductCatalog) async throws -> Void) async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let logger = Logger(label: "test")
            let catalog = ProductCatalog(
                products: PostgresProductStore(client: client, logger: logger),
                categories: PostgresCategoryStore(client: client, logger: logger),
                search: PostgresSearchIndex(client: client, logger: logger), clock: clock
            )
            try await body(catalog)
        }
    }

    @Test func createdProductsGetTransliteratedUniqueSlugs() async throws {
        try await withCatalog { catalog in
            let first = try await newProduct(catalog, title: "Смартфон Галактика S24")
            let second = try await newProduct(catalog, title: "Смартфон  Галактика S24!")
            #expect(first.slug.rawValue == "smartfon-galaktika-s24")
            #expect(second.slug.rawValue == "smartfon-galaktika-s24-2")
            #expect(first.status == .draft && first.version == 1)
        }
    }

    @Test func renamedProductsKeepTheirOldSlugs() async throws {
        try await withCatalog { catalog in
            let product = try await newProduct(catalog, title: "Red Kettle")
            let renamed = try await catalog.updateProduct(id: product.id, expectedVersion: 1, changes: ProductFieldsInput(title: "Blue Kettle"), by: TestUsers.seller)
            #expect(renamed.slug.rawValue == "blue-kettle")
            #expect(renamed.version == 2)
            #expect(try await catalog.product(slug: "red-kettle", viewer: TestUsers.seller).id == product.id)
            #expect(try await catalog.product(slug: "blue-kettle", viewer: TestUsers.seller).id == product.id)
            // The old slug stays reserved: a new "Red Kettle" does not take it.
            let another = try await newProduct(catalog, title: "Red Kettle")
            #expect(another.slug.rawValue == "red-kettle-2")
            // Renaming back reclaims the product's own former slug.
            let back = try await catalog.updateProduct(id: product.id, expectedVersion: 2, changes: ProductFieldsInput(title: "Red Kettle"), by: TestUsers.seller)
            #expect(back.slug.rawValue == "red-kettle")
        }
    }

    @Test func attributesSurviveTheDatabaseInOrderWithEscapes() async throws {
        try await withCatalog { catalog in
            let product = try await newProduct(catalog, title: "Чайник")
            let attributes = [
                ProductAttribute(key: "цвет", value: "чёрный \"матовый\""), ProductAttribute(key: "a\\b", value: "slash / and \\u00e9"),
                ProductAttribute(key: "emoji", value: "☕️"), ProductAttribute(key: "empty", value: ""),
            ]
            let edited = try await catalog.updateProduct(id: product.id, expectedVersion: 1, changes: ProductFieldsInput(attributes: attributes), by: TestUsers.seller)
            #expect(edited.attributes == attributes)
            // Read back through each prepared statement: by id, by slug, and in a batch.
            #expect(try await catalog.product(id: product.id, viewer: TestUsers.seller).attributes == attributes)
            #expect(try await catalog.product(slug: product.slug.rawValue, viewer: TestUsers.seller).attributes == attributes)
            #expect(try await catalog.products.products(ids: [product.id])[product.id]?.attributes == attributes)
            #expect(try ProductRow.attributes("[]").isEmpty)
            #expect(throws: EmporiumError.self) { try ProductRow.attributes("{\"key\": 1}") }
        }
    }

    @Test func staleVersionsConflictAndWriteNothing() async throws {
        try await withCatalog { catalog in
            let product = try await newProduct(catalog, title: "Lamp")
            _ = try await catalog.updateProduct(id: product.id, expectedVersion: 1, changes: ProductFieldsInput(description: "v2"), by: TestUsers.seller)
            await #expect {
                try await catalog.updateProduct(id: product.id, expectedVersion: 1, changes: ProductFieldsInput(title: "Stale Lamp"), by: TestUsers.seller)
            } throws: { ($0 as? EmporiumError)?.code == .conflict }
            let current = try await catalog.product(id: product.id, viewer: TestUsers.seller)
            #expect(current.title == "Lamp" && current.version == 2 && current.description == "v2")
        }
    }

    @Test func permissionsAreEnforced() async throws {
        try await withCatalog { catalog in
            let product = try await newProduct(catalog, title: "Tent")
            await #expect { try await newProduct(catalog, title: "X", by: TestUsers.buyer) } throws: { ($0 as? EmporiumError)?.code == .forbidden }
            await #expect {
                try await catalog.createProduct(ProductFieldsInput(title: "X", priceAmount: 1, priceCurrency: "EUR"), sellerID: nil, by: nil)
            } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            await #expect {
                try await catalog.archiveProduct(id: product.id, expectedVersion: nil, by: TestUsers.otherSeller)
            } throws: { ($0 as? EmporiumError)?.code == .forbidden }
            let archived = try await catalog.archiveProduct(id: product.id, expectedVersion: nil, by: TestUsers.admin)
            #expect(archived.status == .archived)
        }
    }

    @Test func draftsAreVisibleOnlyToTheirOwnerAndAdmins() async throws {
        try await withCatalog { catalog in
            let product = try await newProduct(catalog, title: "Secret Draft")
            await #expect { try await catalog.product(id: product.id, viewer: nil) } throws: { ($0 as? EmporiumError)?.code == .notFound }
            await #expect(throws: EmporiumError.self) { try await catalog.product(id: product.id, viewer: TestUsers.otherSeller) }
            #expect(try await catalog.product(id: product.id, viewer: TestUsers.seller).id == product.id)
            #expect(try await catalog.product(id: product.id, viewer: TestUsers.admin).id == product.id)
            _ = try await catalog.publishProduct(id: product.id, expectedVersion: 1, publishAt: nil, by: TestUsers.seller)
            #expect(try await catalog.product(id: product.id, viewer: nil).status == .published)
        }
    }

    @Test func scheduledProductsAppearAtTheirPublishTime() async throws {
        let clock = TestClock()
        try await withCatalog(clock: clock) { catalog in
            let product = try await newProduct(catalog, title: "Tomorrow's Kettle")
            let scheduled = try await catalog.publishProduct(id: product.id, expectedVersion: 1, publishAt: clock.now().addingTimeInterval(3600), by: TestUsers.seller)
            #expect(scheduled.status == .scheduled)
            await #expect(throws: EmporiumError.self) { try await catalog.product(id: product.id, viewer: nil) }
            #expect(try await catalog.list(filter: nil, first: 10, after: nil, viewer: nil).items.isEmpty)
            clock.advance(by: 3601)
            #expect(try await catalog.product(id: product.id, viewer: nil).id == product.id)
            #expect(try await catalog.list(filter: nil, first: 10, after: nil, viewer: nil).items.map(\.id) == [product.id])
        }
    }

    @Test func keysetPaginationVisitsEveryProductOnce() async throws {
        let clock = TestClock()
        try await withCatalog(clock: clock) { catalog in
            var created: [ProductID] = []
            for index in 0..<25 {
                let product = try await newProduct(catalog, title: "Item \(index)")
                created.append(product.id)
                // Every third product shares its timestamp with the previous one: ties break by id.
                if index % 3 != 0 { clock.advance(by: 0.001) }
            }
            var seen: [ProductID] = []
            var after: String?
            var pages = 0
            repeat {
                let page = try await catalog.list(filter: nil, first: 10, after: after, viewer: TestUsers.seller)
                seen += page.items.map(\.id)
                after = page.hasNextPage ? page.endCursor : nil
                pages += 1
            } while after != nil && pages < 10
            #expect(pages == 3)
            #expect(seen.count == 25)
            #expect(Set(seen) == Set(created))
        }
    }

    @Test func categoryFiltersIncludeDescendants() async throws {
        try await withCatalog { catalog in
            let electronics = try await catalog.createCategory(name: "Electronics", slug: nil, parentID: nil, by: TestUsers.admin)
            let phones = try await catalog.createCategory(name: "Phones", slug: nil, parentID: electronics.id.description, by: TestUsers.admin)
            let books = try await catalog.createCategory(name: "Books", slug: nil, parentID: nil, by: TestUsers.admin)
            let phone = try await newProduct(catalog, title: "Phone", category: phones.id)
            let tv = try await newProduct(catalog, title: "TV", category: electronics.id)
            _ = try await newProduct(catalog, title: "Novel", category: books.id)
            let page = try await catalog.list(filter: ProductFilter(categoryID: electronics.id.description), first: 10, after: nil, viewer: TestUsers.seller)
            #expect(Set(page.items.map(\.id)) == [phone.id, tv.id])
            await #expect { try await catalog.createCategory(name: "Phones", slug: nil, parentID: nil, by: TestUsers.admin) }
                throws: { ($0 as? EmporiumError)?.code == .conflict }
            await #expect { try await catalog.createCategory(name: "Toys", slug: nil, parentID: nil, by: TestUsers.seller) }
                throws: { ($0 as? EmporiumError)?.code == .forbidden }
        }
    }

    @Test func searchMatchesWordFormsInBothLanguagesAndForgivesTypos() async throws {
        try await withCatalog { catalog in
            let phone = try await newProduct(catalog, title: "Смартфон Галактика S24 Ультра", description: "Яркий экран и быстрая зарядка")
            let kettle = try await newProduct(catalog, title: "Electric kettle", description: "Boils water quickly for running teams")
            for product in [phone, kettle] {
                _ = try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: nil, by: TestUsers.seller)
            }
            // Russian plural and another case of the same words.
            #expect(try await catalog.search(text: "смартфоны", first: 10, after: nil, viewer: nil).items.map(\.id) == [phone.id])
            #expect(try await catalog.search(text: "быстрой зарядкой", first: 10, after: nil, viewer: nil).items.map(\.id) == [phone.id])
            // English stemming: "kettles" finds "kettle", "run" finds "running".
            #expect(try await catalog.search(text: "kettles", first: 10, after: nil, viewer: nil).items.map(\.id) == [kettle.id])
            #expect(try await catalog.search(text: "run", first: 10, after: nil, viewer: nil).items.map(\.id) == [kettle.id])
            // A typo: no word matches, trigram similarity does.
            #expect(try await catalog.search(text: "ketle", first: 10, after: nil, viewer: nil).items.map(\.id) == [kettle.id])
            await #expect { try await catalog.search(text: "  ", first: 10, after: nil, viewer: nil) } throws: { ($0 as? EmporiumError)?.code == .badUserInput }
            // Russian typed in Latin letters, or with the keyboard in the wrong layout, word by word.
            for query in ["Galaktika", "smartfon", "cvfhnajy", "ufkfrnbrf s24", "smartfon galaktika", "ultra", "cvfhnajys"] {
                #expect(try await catalog.search(text: query, first: 10, after: nil, viewer: nil).items.map(\.id) == [phone.id], "\(query)")
            }
            // The other way round: English typed on a Russian layout.
            #expect(try await catalog.search(text: "луеедуы", first: 10, after: nil, viewer: nil).items.map(\.id) == [kettle.id])
            #expect(try await catalog.search(text: "qwzxv", first: 10, after: nil, viewer: nil).items.isEmpty, "no reading matches: nothing")
        }
    }
}
