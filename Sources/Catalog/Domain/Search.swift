import EmporiumCore
import Foundation

/// How search results are ordered.
public enum SearchOrder: String, Sendable, CaseIterable {
    /// Best match first; newest first when there is no text.
    case relevance
    case priceAscending
    case priceDescending
    case newest
    /// Most units sold first, then most viewed (the counters kept from events).
    case popularity
}

/// What narrows a search, checked and resolved (a category already expanded to its descendants).
public struct SearchFilters: Sendable, Equatable {
    public var categoryIDs: [CategoryID]?
    public var sellerID: UserID?
    public var minPrice: Int64?
    public var maxPrice: Int64?
    public var currency: Currency?
    /// Only products with available units, by the catalog's projection of inventory's events.
    public var inStockOnly: Bool

    public init(
        categoryIDs: [CategoryID]? = nil, sellerID: UserID? = nil, minPrice: Int64? = nil, maxPrice: Int64? = nil,
        currency: Currency? = nil, inStockOnly: Bool = false
    ) {
        self.categoryIDs = categoryIDs
        self.sellerID = sellerID
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.currency = currency
        self.inStockOnly = inStockOnly
    }
}

/// A search: text (empty to browse by the filters alone), filters, order and page.
public struct ProductSearch: Sendable, Equatable {
    public var text: String
    public var filters: SearchFilters
    public var order: SearchOrder
    public var visibility: ProductVisibility
    public var now: Date
    public var offset: Int
    public var limit: Int

    public init(
        text: String, filters: SearchFilters = SearchFilters(), order: SearchOrder = .relevance, visibility: ProductVisibility, now: Date,
        offset: Int, limit: Int
    ) {
        self.text = text
        self.filters = filters
        self.order = order
        self.visibility = visibility
        self.now = now
        self.offset = offset
        self.limit = limit
    }
}

/// How a search's text was matched in the end: the facets of a search count the same matches.
public enum SearchMatch: Sendable, Equatable {
    /// No text: every visible product the filters let through.
    case everything
    /// The text as written (web-search syntax: quotes, `or`, `-word`).
    case text(String)
    /// Every word in any of its forms (words AND-ed, forms OR-ed): keyboard layouts,
    /// transliterations or synonyms.
    case words([[String]])
}

/// One page of a search and how its text was matched.
public struct SearchHits: Sendable {
    public var products: [Product]
    /// Nil when nothing matched in any reading.
    public var match: SearchMatch?
    /// What was searched instead of the text as typed (another layout, a transliteration, a
    /// corrected typo); nil when the text matched as written.
    public var correctedQuery: String?

    public init(products: [Product], match: SearchMatch?, correctedQuery: String? = nil) {
        self.products = products
        self.match = match
        self.correctedQuery = correctedQuery
    }
}

/// Counts over a search's matches, computed over at most ``SearchFacets/countLimit`` of them.
public struct SearchFacets: Sendable, Equatable {
    /// Matches counted; at most `countLimit`.
    public var total: Int
    /// False when counting stopped at the limit: then the facets describe the first matches found.
    public var exact: Bool
    /// Matches per category (the category itself, not its descendants), most first.
    public var categories: [CategoryCount]
    /// Matches per price band of the 1-2-5 series, per currency, cheapest first.
    public var prices: [PriceBandCount]

    public static let countLimit = 10_000
    public static let empty = SearchFacets(total: 0, exact: true, categories: [], prices: [])

    public init(total: Int, exact: Bool, categories: [CategoryCount], prices: [PriceBandCount]) {
        self.total = total
        self.exact = exact
        self.categories = categories
        self.prices = prices
    }

    public struct CategoryCount: Sendable, Equatable {
        public let categoryID: CategoryID
        public let count: Int

        public init(categoryID: CategoryID, count: Int) {
            self.categoryID = categoryID
            self.count = count
        }
    }

    public struct PriceBandCount: Sendable, Equatable {
        public let band: PriceBand
        public let count: Int

        public init(band: PriceBand, count: Int) {
            self.band = band
            self.count = count
        }
    }
}

/// A type-ahead suggestion.
public struct SearchSuggestion: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A query: the words typed with the last one completed from the titles' words.
        case query
        case category
        case product
    }

    public let kind: Kind
    public let text: String
    public let categoryID: CategoryID?
    public let productID: ProductID?

    public init(kind: Kind, text: String, categoryID: CategoryID? = nil, productID: ProductID? = nil) {
        self.kind = kind
        self.text = text
        self.categoryID = categoryID
        self.productID = productID
    }
}

/// Words a search also looks for when a query contains `term` (one way: set the reverse entry
/// too for words that mean each other).
public struct SearchSynonyms: Sendable, Equatable {
    public let term: String
    public let synonyms: [String]
    public let updatedAt: Date

    public init(term: String, synonyms: [String], updatedAt: Date) {
        self.term = term
        self.synonyms = synonyms
        self.updatedAt = updatedAt
    }
}

/// The search read model: products found by text and filters, counts over the matches,
/// type-ahead, and the synonyms admins keep.
public protocol SearchIndex: Sendable {
    /// One page; when the text as written matches nothing, its other readings and then a
    /// typo-corrected form are tried.
    func search(_ search: ProductSearch) async throws -> SearchHits
    /// Counts over the products `match` finds under `search`'s filters and visibility.
    func facets(_ search: ProductSearch, match: SearchMatch) async throws -> SearchFacets
    /// Queries completing the last word of `prefix`, and public products whose title starts with
    /// it, in each of `prefixes` (the text as typed and its other readings).
    func suggestions(prefixes: [String], limit: Int, now: Date) async throws -> [SearchSuggestion]
    /// In term order, after `after` (a term).
    func synonyms(after: String?, limit: Int) async throws -> [SearchSynonyms]
    /// Replaces `term`'s synonyms; an empty list removes the entry. Returns the entry as kept.
    func setSynonyms(term: String, synonyms: [String], at: Date) async throws -> SearchSynonyms
}
