import EmporiumCore
import Foundation
import Identity

/// A search as a client asks for it (`search(input:)`), unchecked.
public struct SearchRequest: Sendable {
    public var query: String?
    public var categoryID: String?
    public var sellerID: String?
    public var minPrice: Int64?
    public var maxPrice: Int64?
    public var currency: String?
    public var inStock: Bool?
    public var order: SearchOrder
    public var first: Int?
    public var after: String?

    public init(
        query: String? = nil, categoryID: String? = nil, sellerID: String? = nil, minPrice: Int64? = nil, maxPrice: Int64? = nil,
        currency: String? = nil, inStock: Bool? = nil, order: SearchOrder = .relevance, first: Int? = nil, after: String? = nil
    ) {
        self.query = query
        self.categoryID = categoryID
        self.sellerID = sellerID
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.currency = currency
        self.inStock = inStock
        self.order = order
        self.first = first
        self.after = after
    }
}

/// One page of a search, with what facets are counted over (computed only when asked for).
public struct SearchResult: Sendable {
    public let page: Page<Product>
    public let correctedQuery: String?
    /// The search as run and how its text matched; nil when nothing matched.
    let counted: (search: ProductSearch, match: SearchMatch)?
}

extension ProductCatalog {
    /// The longest query accepted, in characters.
    static let maximumQueryLength = 200

    /// Full-text search over titles and descriptions (Russian and English word forms), with other
    /// readings and a typo-tolerant fallback: `searchProducts` and REST search.
    public func search(text: String, first: Int?, after: String?, viewer: Principal?) async throws -> Page<Product> {
        let limit = try PageSize.validate(first)
        let text = try Self.searchText(text)
        guard !text.isEmpty else { throw EmporiumError.badInput("the search query must not be empty", field: "query") }
        let offset = try Self.searchOffset(after, field: "after")
        let hits = try await searchIndex.search(ProductSearch(
            text: text, visibility: ProductVisibility(principal: viewer), now: clock.now(), offset: offset, limit: limit + 1))
        return Self.page(hits.products, limit: limit, offset: offset)
    }

    /// `search(input:)`: text (or none, to browse), filters, order and page.
    public func search(_ request: SearchRequest, viewer: Principal?) async throws -> SearchResult {
        let limit = try PageSize.validate(request.first, field: "input.first")
        let text = try Self.searchText(request.query ?? "", field: "input.query")
        let offset = try Self.searchOffset(request.after, field: "input.after")
        var filters = SearchFilters(inStockOnly: request.inStock ?? false)
        filters.categoryIDs = try await categorySubtree(request.categoryID, field: "input.categoryId")
        filters.sellerID = try request.sellerID.map { UserID(try ProductRules.sellerID($0, field: "input.sellerId")) }
        try Self.checkPriceRange(min: request.minPrice, max: request.maxPrice, fieldPrefix: "input.")
        filters.minPrice = request.minPrice
        filters.maxPrice = request.maxPrice
        filters.currency = try request.currency.map { try Currency(code: $0, field: "input.currency") }
        let search = ProductSearch(
            text: text, filters: filters, order: request.order, visibility: ProductVisibility(principal: viewer), now: clock.now(),
            offset: offset, limit: limit + 1)
        let hits = try await searchIndex.search(search)
        return SearchResult(
            page: Self.page(hits.products, limit: limit, offset: offset), correctedQuery: hits.correctedQuery,
            counted: hits.match.map { (search, $0) })
    }

    /// Counts over a search's matches (all of them up to ``SearchFacets/countLimit``).
    public func facets(of result: SearchResult) async throws -> SearchFacets {
        guard let counted = result.counted else { return .empty }
        return try await searchIndex.facets(counted.search, match: counted.match)
    }

    // MARK: Type-ahead

    /// The most suggestions one call returns.
    static let maximumSuggestions = 20

    /// Categories, completed queries and product titles for what has been typed so far, in the
    /// keyboard layout and script it was typed in and in the others ("cvfhn" suggests "смартфон").
    public func suggestions(prefix: String, first: Int?) async throws -> [SearchSuggestion] {
        let limit = first ?? 10
        guard (1...Self.maximumSuggestions).contains(limit) else {
            throw EmporiumError.badInput("'first' must be between 1 and \(Self.maximumSuggestions) (got \(limit))", field: "first")
        }
        try TextRules.refuseControlCharacters(in: prefix, field: "prefix")
        guard TextRules.length(prefix) <= 100 else { throw EmporiumError.badInput("the prefix must be at most 100 characters", field: "prefix") }
        let words = prefix.lowercased().split(whereSeparator: \.isWhitespace).prefix(8).map(String.init)
        guard !words.isEmpty else { return [] }
        let prefixes = Self.prefixReadings(words)
        let categories = Self.matchingCategories(try await self.categories.all(), prefixes: prefixes).prefix(3)
        let found = try await searchIndex.suggestions(prefixes: prefixes, limit: limit, now: clock.now())
        let queries = found.filter { $0.kind == .query }.prefix((limit + 1) / 2)
        let products = found.filter { $0.kind == .product }
        return Array((categories + queries + products).prefix(limit))
    }

    /// The typed words as written, then with every word in its second and third reading (each
    /// word keeping its own when it has no other): at most three prefixes.
    static func prefixReadings(_ words: [String]) -> [String] {
        let readings = words.map(QueryVariants.readings(ofWord:))
        var prefixes: [String] = []
        for choice in 0..<3 {
            let prefix = readings.map { $0[min(choice, $0.count - 1)] }.joined(separator: " ")
            if !prefixes.contains(prefix) { prefixes.append(prefix) }
        }
        return prefixes
    }

    /// Categories whose name, or a word of it, starts with one of `prefixes`; shortest names first.
    static func matchingCategories(_ categories: [Category], prefixes: [String]) -> [SearchSuggestion] {
        CategoryNames.of(categories).matching(prefixes)
    }

    // MARK: Synonyms

    /// Admins: the synonyms kept, in term order.
    public func searchSynonyms(first: Int?, after: String?, by principal: Principal?) async throws -> [SearchSynonyms] {
        _ = try Permissions.require(principal, anyOf: [.admin])
        let limit = try PageSize.validate(first)
        if let after { try TextRules.refuseControlCharacters(in: after, field: "after") }
        return try await searchIndex.synonyms(after: after.map { String($0.prefix(100)) }, limit: limit)
    }

    /// Admins: what a query containing `term` also looks for (an empty list removes the term).
    public func setSearchSynonyms(term: String, synonyms: [String], by principal: Principal?) async throws -> SearchSynonyms {
        _ = try Permissions.require(principal, anyOf: [.admin])
        let term = try Self.synonymText(term, field: "term")
        guard !term.contains(where: \.isWhitespace) else {
            throw EmporiumError.badInput("a term is one word (a query is matched word by word); got '\(term.prefix(64))'", field: "term")
        }
        guard synonyms.count <= 20 else { throw EmporiumError.badInput("at most 20 synonyms per term (got \(synonyms.count))", field: "synonyms") }
        var kept: [String] = []
        for (index, synonym) in synonyms.enumerated() {
            let text = try Self.synonymText(synonym, field: "synonyms[\(index)]")
            if text != term, !kept.contains(text) { kept.append(text) }
        }
        // Only an empty list removes a term: one that was all the term itself is a mistake.
        guard !kept.isEmpty || synonyms.isEmpty else {
            throw EmporiumError.badInput("the synonyms must differ from the term (an empty list removes it)", field: "synonyms")
        }
        return try await searchIndex.setSynonyms(term: term, synonyms: kept, at: clock.now())
    }

    static func synonymText(_ text: String, field: String) throws -> String {
        try TextRules.refuseControlCharacters(in: text, field: field)
        let words = text.lowercased().split(whereSeparator: \.isWhitespace)
        let joined = words.joined(separator: " ")
        guard !joined.isEmpty else { throw EmporiumError.badInput("must not be empty", field: field) }
        guard TextRules.length(joined) <= 100 else { throw EmporiumError.badInput("must be at most 100 characters", field: field) }
        return joined
    }

    // MARK: Input

    /// The query trimmed and checked: at most 200 characters; tabs and line breaks (pasted into a
    /// search box) separate words like spaces, other control characters are refused.
    static func searchText(_ text: String, field: String = "query") throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard TextRules.length(trimmed) <= maximumQueryLength else {
            throw EmporiumError.badInput("the search query must be at most \(maximumQueryLength) characters", field: field)
        }
        try TextRules.refuseControlCharacters(in: trimmed, field: field, allowingLineBreaks: true)
        return trimmed
    }

    /// A search cursor is an offset into the ranking, at most 10,000 deep.
    static func searchOffset(_ after: String?, field: String) throws -> Int {
        guard let after else { return 0 }
        let cursor = try Cursor(decoding: after, field: field)
        guard cursor.values.count == 2, cursor.values[0] == "s", let value = Int(cursor.values[1]), value >= 0, value < 10_000 else {
            throw EmporiumError.badInput("'\(after.prefix(64))' is not a search cursor", field: field)
        }
        return value
    }

    static func page(_ rows: [Product], limit: Int, offset: Int) -> Page<Product> {
        Page(items: Array(rows.prefix(limit)), hasNextPage: rows.count > limit, cursor: { Cursor(["s", String(offset + $0 + 1)]).encoded })
    }
}
