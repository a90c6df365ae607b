@testable import Catalog
import EmporiumCore
import EmporiumTesting
import Foundation
import Synchronization

/// A clock tests can move.
final class TestClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Counts calls to the storage ports. Each port method is one SQL statement, so the count is the
/// number of statements a GraphQL request caused.
final class CountingStores: ProductStore, CategoryStore {
    let products: any ProductStore
    let categories: any CategoryStore
    let calls = Mutex<[String]>([])

    init(products: any ProductStore, categories: any CategoryStore) {
        self.products = products
        self.categories = categories
    }

    var count: Int { calls.withLock { $0.count } }
    func reset() { calls.withLock { $0.removeAll() } }
    private func note(_ name: String) { calls.withLock { $0.append(name) } }

    func create(_ product: Product) async throws -> Product { note("create"); return try await products.create(product) }
    func update(_ product: Product, expectedVersion: Int) async throws -> Product { note("update"); return try await products.update(product, expectedVersion: expectedVersion) }
    func product(id: ProductID) async throws -> Product? { note("product(id)"); return try await products.product(id: id) }
    func products(ids: [ProductID]) async throws -> [ProductID: Product] { note("products(ids)"); return try await products.products(ids: ids) }
    func product(slug: Slug) async throws -> Product? { note("product(slug)"); return try await products.product(slug: slug) }
    func list(_ query: ProductQuery) async throws -> [Product] { note("list"); return try await products.list(query) }
    func create(_ category: Catalog.Category) async throws -> Catalog.Category { note("createCategory"); return try await categories.create(category) }
    func categories(ids: [CategoryID]) async throws -> [CategoryID: Catalog.Category] { note("categories(ids)"); return try await categories.categories(ids: ids) }
    func all() async throws -> [Catalog.Category] { note("all"); return try await categories.all() }
    func subtree(of id: CategoryID) async throws -> [CategoryID] { note("subtree"); return try await categories.subtree(of: id) }
    func children(of ids: [CategoryID]) async throws -> [CategoryID: [Catalog.Category]] { note("children"); return try await categories.children(of: ids) }
}

func newProduct(_ catalog: ProductCatalog, title: String, price: Int64 = 1990, currency: String = "RUB", category: CategoryID? = nil, description: String = "", by seller: Identity.Principal = TestUsers.seller) async throws -> Product {
    try await catalog.createProduct(
        ProductFieldsInput(title: title, description: description, priceAmount: price, priceCurrency: currency, categoryID: .some(category?.description)),
        sellerID: nil, by: seller
    )
}

import Identity
