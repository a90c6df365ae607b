import EmporiumCore
import Foundation
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// `SearchInput` as the client sends it.
struct SearchInputValue: Codable, Sendable {
    let query: String?
    let categoryId: GraphID?
    let sellerId: GraphID?
    let minPrice: Int?
    let maxPrice: Int?
    let currency: String?
    let inStock: Bool?
    let sort: String?
    let first: Int?
    let after: String?

    var request: SearchRequest {
        let order: SearchOrder = switch sort {
        case "PRICE_ASC": .priceAscending
        case "PRICE_DESC": .priceDescending
        case "NEWEST": .newest
        case "POPULARITY": .popularity
        default: .relevance
        }
        return SearchRequest(
            query: query, categoryID: categoryId?.value, sellerID: sellerId?.value, minPrice: minPrice.map(Int64.init),
            maxPrice: maxPrice.map(Int64.init), currency: currency, inStock: inStock, order: order, first: first, after: after)
    }
}

/// A `SearchResult`: `totalCount` and `facets` share one count, made only when one is asked for.
final class SearchResultView: Sendable, GraphQLObject {
    let result: SearchResult
    let products: ProductConnection
    private let facets: FacetsOnce

    init(_ result: SearchResult, catalog: ProductCatalog) {
        self.result = result
        products = ProductConnection(result.page)
        facets = FacetsOnce { try await catalog.facets(of: result) }
    }

    @Sendable static func totalCount(_ view: SearchResultView, _: FieldArguments, _: CatalogContext) async throws -> Int {
        try await view.facets.value().total
    }

    @Sendable static func facets(_ view: SearchResultView, _: FieldArguments, _: CatalogContext) async throws -> SearchFacetsView {
        SearchFacetsView(facets: try await view.facets.value())
    }
}

/// Runs its work once, for however many fields ask.
private actor FacetsOnce {
    private let work: @Sendable () async throws -> SearchFacets
    private var running: Task<SearchFacets, any Error>?

    init(_ work: @escaping @Sendable () async throws -> SearchFacets) { self.work = work }

    func value() async throws -> SearchFacets {
        if let running { return try await running.value }
        // Unstructured so that the second field awaiting it shares the first one's query.
        let task = Task { try await work() }
        running = task
        return try await task.value
    }
}

struct SearchFacetsView: Sendable, GraphQLObject {
    let facets: SearchFacets

    @Sendable static func categories(_ view: SearchFacetsView, _: FieldArguments, context: CatalogContext) async throws -> [CategoryFacetView] {
        let found = try await context.categories.loadMany(view.facets.categories.map(\.categoryID))
        // A category deleted since its products were counted is left out.
        return view.facets.categories.compactMap { count in found[count.categoryID].map { CategoryFacetView(category: $0, count: count.count) } }
    }
}

struct CategoryFacetView: Sendable, GraphQLObject {
    let category: Category
    let count: Int
}

struct SuggestionView: Sendable, GraphQLObject {
    let suggestion: SearchSuggestion

    var kind: SuggestionKindValue {
        switch suggestion.kind {
        case .query: .QUERY
        case .category: .CATEGORY
        case .product: .PRODUCT
        }
    }

    @Sendable static func categories(_ views: [SuggestionView], _: FieldArguments, context: CatalogContext) async throws -> [Category?] {
        let found = try await context.categories.loadMany(views.compactMap(\.suggestion.categoryID))
        return views.map { $0.suggestion.categoryID.flatMap { found[$0] } }
    }

    /// The suggested products, as their viewer may see them (one query for all).
    @Sendable static func products(_ views: [SuggestionView], _: FieldArguments, context: CatalogContext) async throws -> [Product?] {
        let found = try await context.products.loadMany(views.compactMap(\.suggestion.productID))
        return views.map { view in
            view.suggestion.productID.flatMap { found[$0] }.flatMap { context.catalog.isVisible($0, to: context.principal) ? $0 : nil }
        }
    }
}

enum SuggestionKindValue: String, GraphQLEnum {
    case QUERY, CATEGORY, PRODUCT
}

extension SearchSynonyms: GraphQLObject {}

extension CatalogResolver {
    @Sendable static func search(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> SearchResultView {
        guard let input = try arguments.decode(SearchInputValue.self, "input") else { throw EmporiumError.badInput("input is required", field: "input") }
        if let admission = context.searchAdmission {
            try await admission.admit(clientKey: context.clientKey) { context.responseHeaders.set($0, $1) }
        }
        context.responseTags.add(CatalogCacheTags.products)
        let result = try await context.catalog.search(input.request, viewer: context.principal)
        return SearchResultView(result, catalog: context.catalog)
    }

    @Sendable static func searchSuggestions(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> [SuggestionView] {
        context.responseTags.add(CatalogCacheTags.products)
        let suggestions = try await context.catalog.suggestions(prefix: try arguments.requiredString("prefix"), first: arguments.int("first"))
        return suggestions.map(SuggestionView.init)
    }

    @Sendable static func searchSynonyms(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> [SearchSynonyms] {
        try await context.catalog.searchSynonyms(first: arguments.int("first"), after: arguments.string("after"), by: context.principal)
    }

    @Sendable static func setSearchSynonyms(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> SearchSynonyms {
        let synonyms = try arguments.decode([String].self, "synonyms") ?? []
        return try await context.catalog.setSearchSynonyms(term: try arguments.requiredString("term"), synonyms: synonyms, by: context.principal)
    }
}
extension SearchFacets.PriceBandCount: GraphQLObject {}
