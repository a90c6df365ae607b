@testable import Catalog
import CatalogTesting
import Contracts
import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Logging
import Messaging
import PostgresNIO
import Testing

/// `search(input:)`, facets, type-ahead and synonyms against a real PostgreSQL.
@Suite struct SearchTests {
    struct Shop: Sendable {
        let catalog: ProductCatalog
        let client: PostgresClient
        let clock: TestClock
        let phones: CategoryID
        let electronics: CategoryID
        let home: CategoryID

        /// A published product, created a second after the previous one.
        func product(_ title: String, price: Int64, currency: String = "RUB", category: CategoryID?, seller: Principal = TestUsers.seller) async throws -> Product {
            clock.advance(by: 1)
            let product = try await newProduct(catalog, title: title, price: price, currency: currency, category: category, by: seller)
            return try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: nil, by: seller)
        }

        func search(_ request: SearchRequest, as viewer: Principal? = nil) async throws -> [ProductID] {
            try await catalog.search(request, viewer: viewer).page.items.map(\.id)
        }

        /// Inventory's event for a product, through the catalog's own consumer.
        func stock(_ product: Product, available: Int, at occurredAt: Date) async throws {
            let processor = EventProcessor(
                configuration: .init(consumer: "catalog", schema: "catalog"), handlers: CounterProjections.make(), client: client, logger: Logger(label: "test"))
            let event = StockChanged(
                productId: product.id.description, warehouseId: "main", reason: "received", onHandDelta: available, reservedDelta: 0,
                totals: StockTotals(onHand: available, reserved: 0, available: available))
            _ = try await processor.process(try EventEnvelope(event, occurredAt: occurredAt))
        }
    }

    /// Both adapters meet one contract: every test runs on each.
    enum Adapter: String, CaseIterable, Sendable {
        case postgres
        case resident

        func index(_ client: PostgresClient, _ logger: Logger) -> any SearchIndex {
            switch self {
            case .postgres: PostgresSearchIndex(client: client, logger: logger)
            case .resident: ResidentSearchIndex(client: client, freshness: .beforeEachRead, logger: logger)
            }
        }
    }

    func withShop(_ adapter: Adapter, _ body: @Sendable (Shop) async throws -> Void) async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let logger = Logger(label: "test")
            let clock = TestClock()
            let catalog = ProductCatalog(
                products: PostgresProductStore(client: client, logger: logger), categories: PostgresCategoryStore(client: client, logger: logger),
                search: adapter.index(client, logger), clock: clock)
            let electronics = try await catalog.createCategory(name: "Электроника", slug: nil, parentID: nil, by: TestUsers.admin)
            let phones = try await catalog.createCategory(name: "Смартфоны и телефоны", slug: nil, parentID: electronics.id.description, by: TestUsers.admin)
            let home = try await catalog.createCategory(name: "Дом", slug: nil, parentID: nil, by: TestUsers.admin)
            try await body(Shop(catalog: catalog, client: client, clock: clock, phones: phones.id, electronics: electronics.id, home: home.id))
        }
    }

    @Test(arguments: Adapter.allCases) func filtersNarrowAndSortingOrders(_ adapter: Adapter) async throws {
        try await withShop(adapter) { shop in
            let cheap = try await shop.product("Смартфон Лайт", price: 999_00, category: shop.phones)
            let middle = try await shop.product("Смартфон Про", price: 4_999_00, category: shop.phones, seller: TestUsers.otherSeller)
            let dear = try await shop.product("Смартфон Ультра", price: 19_999_00, category: shop.electronics)
            let lamp = try await shop.product("Лампа настольная", price: 1_500_00, category: shop.home)
            let dollars = try await shop.product("Смартфон Импорт", price: 300_00, currency: "USD", category: shop.phones)
            let draft = try await newProduct(shop.catalog, title: "Смартфон Черновик", price: 100, category: shop.phones)

            // A category takes its descendants; relevance ties fall back to the id, so compare sets.
            #expect(Set(try await shop.search(SearchRequest(query: "смартфон", categoryID: shop.electronics.description)))
                == [cheap.id, middle.id, dear.id, dollars.id])
            #expect(try await shop.search(SearchRequest(query: "смартфон", categoryID: shop.home.description)).isEmpty)
            #expect(try await shop.search(SearchRequest(query: "смартфон", sellerID: "seller-2")) == [middle.id])
            #expect(try await shop.search(SearchRequest(query: "смартфон", minPrice: 1_000_00, maxPrice: 5_000_00, currency: "RUB")) == [middle.id])
            #expect(try await shop.search(SearchRequest(query: "смартфон", currency: "USD")) == [dollars.id])
            // Orders.
            #expect(try await shop.search(SearchRequest(query: "смартфон", currency: "RUB", order: .priceAscending)) == [cheap.id, middle.id, dear.id])
            #expect(try await shop.search(SearchRequest(query: "смартфон", currency: "RUB", order: .priceDescending)) == [dear.id, middle.id, cheap.id])
            #expect(try await shop.search(SearchRequest(query: "смартфон", order: .newest)) == [dollars.id, dear.id, middle.id, cheap.id])
            try await shop.client.query("""
                INSERT INTO catalog.product_counters (product_id, sales_count, view_count) VALUES (\(middle.id.uuid), 5, 0), (\(cheap.id.uuid), 5, 90), (\(dear.id.uuid), 1, 1000)
                """, logger: Logger(label: "test"))
            #expect(try await shop.search(SearchRequest(query: "смартфон", order: .popularity)) == [cheap.id, middle.id, dear.id, dollars.id])
            // No query: browse by the filters, newest first.
            #expect(try await shop.search(SearchRequest(categoryID: shop.home.description)) == [lamp.id])
            #expect(try await shop.search(SearchRequest(order: .priceAscending, first: 2)) == [dollars.id, cheap.id])
            // Drafts only for their seller.
            #expect(try await shop.search(SearchRequest(query: "черновик")).isEmpty)
            #expect(try await shop.search(SearchRequest(query: "черновик"), as: TestUsers.seller) == [draft.id])
            // Pages follow the order.
            let first = try await shop.catalog.search(SearchRequest(query: "смартфон", currency: "RUB", order: .priceAscending, first: 2), viewer: nil)
            #expect(first.page.items.map(\.id) == [cheap.id, middle.id] && first.page.hasNextPage)
            let second = try await shop.search(SearchRequest(query: "смартфон", currency: "RUB", order: .priceAscending, first: 2, after: first.page.endCursor))
            #expect(second == [dear.id])
        }
    }

    @Test(arguments: Adapter.allCases) func facetsCountEveryMatchByCategoryAndPriceBand(_ adapter: Adapter) async throws {
        try await withShop(adapter) { shop in
            _ = try await shop.product("Чайник стальной", price: 0, category: shop.home)
            _ = try await shop.product("Чайник стеклянный", price: 1_999, category: shop.home)
            _ = try await shop.product("Чайник электрический", price: 2_000, category: shop.electronics)
            _ = try await shop.product("Чайник умный", price: 2_147_483_647, category: shop.electronics)
            _ = try await shop.product("Чайник дорожный", price: 4_999, currency: "USD", category: nil)
            let result = try await shop.catalog.search(SearchRequest(query: "чайник", first: 1), viewer: nil)
            let facets = try await shop.catalog.facets(of: result)
            #expect(facets.total == 5 && facets.exact)
            #expect(facets.categories == [.init(categoryID: shop.electronics, count: 2), .init(categoryID: shop.home, count: 2)]
                || facets.categories == [.init(categoryID: shop.home, count: 2), .init(categoryID: shop.electronics, count: 2)])
            let rub = try Currency(code: "RUB"), usd = try Currency(code: "USD")
            #expect(facets.prices == [
                .init(band: PriceBand(currency: rub, lower: 0, upper: 1), count: 1),
                .init(band: PriceBand(currency: rub, lower: 1_000, upper: 2_000), count: 1),
                .init(band: PriceBand(currency: rub, lower: 2_000, upper: 5_000), count: 1),
                .init(band: PriceBand(currency: rub, lower: 2_000_000_000, upper: nil), count: 1),
                .init(band: PriceBand(currency: usd, lower: 2_000, upper: 5_000), count: 1),
            ])
            // Facets follow the filters; nothing found counts nothing.
            let filtered = try await shop.catalog.facets(of: try await shop.catalog.search(SearchRequest(query: "чайник", categoryID: shop.home.description), viewer: nil))
            #expect(filtered.total == 2 && filtered.categories == [.init(categoryID: shop.home, count: 2)])
            #expect(try await shop.catalog.facets(of: try await shop.catalog.search(SearchRequest(query: "qwzxv"), viewer: nil)) == .empty)
        }
    }

    @Test(arguments: Adapter.allCases) func inStockFollowsInventorysEventsAndIgnoresLateOnes(_ adapter: Adapter) async throws {
        try await withShop(adapter) { shop in
            let stocked = try await shop.product("Наушники беспроводные", price: 5_000_00, category: shop.electronics)
            let empty = try await shop.product("Наушники проводные", price: 1_000_00, category: shop.electronics)
            _ = try await shop.product("Наушники детские", price: 900_00, category: shop.electronics)
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            try await shop.stock(stocked, available: 3, at: t0)
            try await shop.stock(empty, available: 0, at: t0)
            #expect(try await shop.search(SearchRequest(query: "наушники", inStock: true)) == [stocked.id])
            #expect(try await shop.search(SearchRequest(query: "наушники", inStock: false)).count == 3)
            // Sold out, then an older event arrives late: still sold out.
            try await shop.stock(stocked, available: 0, at: t0.addingTimeInterval(10))
            try await shop.stock(stocked, available: 7, at: t0.addingTimeInterval(5))
            #expect(try await shop.search(SearchRequest(query: "наушники", inStock: true)).isEmpty)
            try await shop.stock(empty, available: 2, at: t0.addingTimeInterval(20))
            #expect(try await shop.search(SearchRequest(query: "наушники", inStock: true)) == [empty.id])
        }
    }

    @Test(arguments: Adapter.allCases) func correctedQueryTellsWhatWasSearchedInstead(_ adapter: Adapter) async throws {
        try await withShop(adapter) { shop in
            let phone = try await shop.product("Смартфон Галактика", price: 50_000_00, category: shop.phones)
            for (typed, searched) in [("cvfhnajy", "смартфон"), ("smartfon galaktika", "смартфон галактика"), ("смартфн", "смартфон")] {
                let result = try await shop.catalog.search(SearchRequest(query: typed), viewer: nil)
                #expect(result.page.items.map(\.id) == [phone.id], "\(typed)")
                #expect(result.correctedQuery == searched, "\(typed)")
                #expect(try await shop.catalog.facets(of: result).total == 1, "facets count what was searched: \(typed)")
            }
            #expect(try await shop.catalog.search(SearchRequest(query: "смартфоны"), viewer: nil).correctedQuery == nil, "matched as written")
        }
    }

    @Test(arguments: Adapter.allCases) func synonymsAreKeptByAdminsAndWidenQueries(_ adapter: Adapter) async throws {
        try await withShop(adapter) { shop in
            let phone = try await shop.product("Смартфон Галактика", price: 50_000_00, category: shop.phones)
            #expect(try await shop.search(SearchRequest(query: "мобильник")).isEmpty)
            let kept = try await shop.catalog.setSearchSynonyms(term: " Мобильник ", synonyms: ["смартфон", "Смартфон", "мобильник", "сотовый  телефон"], by: TestUsers.admin)
            #expect(kept.term == "мобильник" && kept.synonyms == ["смартфон", "сотовый телефон"], "trimmed, lowercased, deduplicated, the term itself dropped")
            #expect(try await shop.search(SearchRequest(query: "мобильник")) == [phone.id])
            #expect(try await shop.search(SearchRequest(query: "мобильник галактика")) == [phone.id], "every word still has to match")
            #expect(try await shop.catalog.search(text: "мобильник", first: 10, after: nil, viewer: nil).items.map(\.id) == [phone.id])
            _ = try await shop.catalog.setSearchSynonyms(term: "айфон", synonyms: ["смартфон"], by: TestUsers.admin)
            #expect(try await shop.catalog.searchSynonyms(first: 1, after: nil, by: TestUsers.admin).map(\.term) == ["айфон"])
            #expect(try await shop.catalog.searchSynonyms(first: 10, after: "айфон", by: TestUsers.admin).map(\.term) == ["мобильник"])
            // An empty list removes the term.
            _ = try await shop.catalog.setSearchSynonyms(term: "мобильник", synonyms: [], by: TestUsers.admin)
            #expect(try await shop.search(SearchRequest(query: "мобильник")).isEmpty)
            // Admins only, and checked input.
            for principal in [TestUsers.seller, TestUsers.buyer] {
                await #expect { try await shop.catalog.setSearchSynonyms(term: "x", synonyms: ["y"], by: principal) } throws: { ($0 as? EmporiumError)?.code == .forbidden }
            }
            await #expect { try await shop.catalog.setSearchSynonyms(term: "x", synonyms: ["y"], by: nil) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            for (term, synonyms, field) in [
                ("два слова", ["y"], "term"), ("  ", ["y"], "term"), ("x\u{0}", ["y"], "term"),
                ("x", Array(repeating: "y", count: 21), "synonyms"), ("x", [String(repeating: "я", count: 101)], "synonyms[0]"), ("x", ["ok", ""], "synonyms[1]"), ("x", ["X", " x "], "synonyms"),
            ] {
                await #expect { try await shop.catalog.setSearchSynonyms(term: term, synonyms: synonyms, by: TestUsers.admin) } throws: { error in
                    (error as? EmporiumError)?.code == .badUserInput && (error as? EmporiumError)?.field == field
                }
            }
        }
    }

    @Test(arguments: Adapter.allCases) func suggestionsCompleteInEveryLayoutAndScript(_ adapter: Adapter) async throws {
        try await withShop(adapter) { shop in
            let phone = try await shop.product("Смартфон Галактика S24", price: 50_000_00, category: shop.phones)
            _ = try await shop.product("Смарт-часы Спорт", price: 9_000_00, category: shop.electronics)
            _ = try await newProduct(shop.catalog, title: "Смартфон Секретный", price: 100, category: shop.phones)  // a draft
            for typed in ["смартф", "cvfhnaj", "smartf", "СМАРТФ"] {
                let suggestions = try await shop.catalog.suggestions(prefix: typed, first: 10)
                #expect(suggestions.first == SearchSuggestion(kind: .category, text: "Смартфоны и телефоны", categoryID: shop.phones), "\(typed)")
                #expect(suggestions.contains(SearchSuggestion(kind: .query, text: "смартфон")), "\(typed): \(suggestions)")
                #expect(suggestions.filter { $0.kind == .product } == [SearchSuggestion(kind: .product, text: phone.title, productID: phone.id)], "\(typed)")
            }
            let twoWords = try await shop.catalog.suggestions(prefix: "смартфон гал", first: 10)
            #expect(twoWords.contains(SearchSuggestion(kind: .query, text: "смартфон галактика")))
            #expect(twoWords.contains { $0.productID == phone.id })
            #expect(try await shop.catalog.suggestions(prefix: "смарт", first: 2).count == 2)
            // LIKE's own characters are literal; nothing found is no error.
            #expect(try await shop.catalog.suggestions(prefix: "%_\\", first: 10).isEmpty)
            #expect(try await shop.catalog.suggestions(prefix: "   ", first: 10).isEmpty)
            for (prefix, first, field) in [("смарт", 0, "first"), ("смарт", 21, "first"), (String(repeating: "я", count: 101), 10, "prefix"), ("a\u{7}", 10, "prefix")] {
                await #expect { try await shop.catalog.suggestions(prefix: prefix, first: first) } throws: { error in
                    (error as? EmporiumError)?.code == .badUserInput && (error as? EmporiumError)?.field == field
                }
            }
        }
    }

    @Test(arguments: Adapter.allCases) func badSearchInputIsACodedErrorNamingTheField(_ adapter: Adapter) async throws {
        try await withShop(adapter) { shop in
            let cases: [(SearchRequest, EmporiumError.Code, String?)] = [
                (SearchRequest(query: String(repeating: "я", count: 201)), .badUserInput, "input.query"),
                (SearchRequest(query: "a\u{1}b"), .badUserInput, "input.query"),
                (SearchRequest(categoryID: "not-an-id"), .badUserInput, "input.categoryId"),
                (SearchRequest(categoryID: UUID().uuidString), .notFound, nil),
                (SearchRequest(minPrice: -1), .badUserInput, "input.minPrice"),
                (SearchRequest(minPrice: 10, maxPrice: 5), .badUserInput, "input.minPrice"),
                (SearchRequest(currency: "XXXX"), .badUserInput, "input.currency"),
                (SearchRequest(first: 0), .badUserInput, "input.first"),
                (SearchRequest(first: 101), .badUserInput, "input.first"),
                (SearchRequest(after: "garbage"), .badUserInput, "input.after"),
                (SearchRequest(after: Cursor(["s", "10000"]).encoded), .badUserInput, "input.after"),
            ]
            for (request, code, field) in cases {
                await #expect { try await shop.catalog.search(request, viewer: nil) } throws: { error in
                    (error as? EmporiumError)?.code == code && (field == nil || (error as? EmporiumError)?.field == field)
                }
            }
        }
    }
}
