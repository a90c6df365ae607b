import Catalog
import EmporiumCore
import Foundation

/// A read-only `ProductStore` over a fixed set of products: lookups by id and slug are dictionary
/// reads and a list walks a precomputed newest-first order, so that a scenario's time is the
/// GraphQL path's, not storage's. Immutable after `init`, hence no lock that concurrent tasks
/// would contend on. Writes throw: the scenarios only read.
struct InMemoryProductStore: ProductStore, SearchIndex {
    private let byID: [ProductID: Product]
    private let bySlug: [Slug: Product]
    /// Newest first, ties by id, as PostgreSQL's `ORDER BY created_at DESC, id DESC`.
    private let newestFirst: [Product]
    private let bySeller: [UserID: [Product]]

    init(_ products: [Product]) {
        newestFirst = products.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        byID = Dictionary(uniqueKeysWithValues: products.map { ($0.id, $0) })
        bySlug = Dictionary(uniqueKeysWithValues: products.map { ($0.slug, $0) })
        bySeller = Dictionary(grouping: newestFirst, by: \.sellerID)
    }

    func create(_ product: Product) async throws -> Product { throw Self.readOnly }
    func update(_ product: Product, expectedVersion: Int) async throws -> Product { throw Self.readOnly }

    func product(id: ProductID) async throws -> Product? { byID[id] }

    func products(ids: [ProductID]) async throws -> [ProductID: Product] {
        var found: [ProductID: Product] = [:]
        found.reserveCapacity(ids.count)
        for id in ids { found[id] = byID[id] }
        return found
    }

    func product(slug: Slug) async throws -> Product? { bySlug[slug] }

    /// The first `query.limit` products that pass the query's filters, newest first. A seller's
    /// list starts from that seller's products, as the `(seller_id, created_at)` index does.
    func list(_ query: ProductQuery) async throws -> [Product] {
        let candidates = query.sellerID.map { bySeller[$0] ?? [] } ?? newestFirst
        let categories = query.categoryIDs.map(Set.init)
        var page: [Product] = []
        page.reserveCapacity(min(query.limit, candidates.count))
        for product in candidates where Self.matches(product, query, categories: categories) {
            page.append(product)
            if page.count == query.limit { break }
        }
        return page
    }

    /// Case-insensitive substring search over titles; enough for a read path nobody benchmarks here.
    func search(_ search: ProductSearch) async throws -> SearchHits {
        let text = search.text.lowercased()
        let found = Array(newestFirst.lazy
            .filter { $0.title.lowercased().contains(text) && Self.isVisible($0, search.visibility, at: search.now) }
            .dropFirst(search.offset).prefix(search.limit))
        return SearchHits(products: found, match: .text(text))
    }

    private static func matches(_ product: Product, _ query: ProductQuery, categories: Set<CategoryID>?) -> Bool {
        if let after = query.after, (product.createdAt, product.id) >= (after.createdAt, after.id) { return false }
        if let categories {
            guard let category = product.categoryID, categories.contains(category) else { return false }
        }
        if let min = query.minPrice, product.price.amount < min { return false }
        if let max = query.maxPrice, product.price.amount > max { return false }
        if let currency = query.currency, product.price.currency != currency { return false }
        if let statuses = query.statuses, !statuses.contains(product.status) { return false }
        return isVisible(product, query.visibility, at: query.now)
    }

    private static func isVisible(_ product: Product, _ visibility: ProductVisibility, at now: Date) -> Bool {
        switch visibility {
        case .all: true
        case .publicOrOwnedBy(let owner): product.sellerID == owner || product.isPubliclyVisible(at: now)
        case .publicOnly: product.isPubliclyVisible(at: now)
        }
    }

    private static let readOnly = EmporiumError(.internalError, "the benchmark's product store is read-only")

    // Facets, type-ahead and synonyms are not on this benchmark's paths.
    func facets(_ search: ProductSearch, match: SearchMatch) async throws -> SearchFacets { throw Self.notBenchmarked }
    func suggestions(prefixes: [String], limit: Int, now: Date) async throws -> [SearchSuggestion] { throw Self.notBenchmarked }
    func synonyms(after: String?, limit: Int) async throws -> [SearchSynonyms] { throw Self.notBenchmarked }
    func setSynonyms(term: String, synonyms: [String], at: Date) async throws -> SearchSynonyms { throw Self.notBenchmarked }
    static let notBenchmarked = EmporiumError(.internalError, "not part of graphql-bench")
}
