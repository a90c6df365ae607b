import EmporiumCore
import Foundation

/// Which products to list, newest first, one page at a time.
public struct ProductQuery: Sendable, Equatable {
    public var visibility: ProductVisibility
    public var now: Date
    /// Already expanded to include descendants; `nil` means any category.
    public var categoryIDs: [CategoryID]?
    public var sellerID: UserID?
    public var minPrice: Int64?
    public var maxPrice: Int64?
    public var currency: Currency?
    public var statuses: [ProductStatus]?
    /// Keyset position: products strictly older than this (createdAt, id).
    public var after: ProductPosition?
    public var limit: Int

    public init(
        visibility: ProductVisibility, now: Date, categoryIDs: [CategoryID]? = nil, sellerID: UserID? = nil,
        minPrice: Int64? = nil, maxPrice: Int64? = nil, currency: Currency? = nil, statuses: [ProductStatus]? = nil,
        after: ProductPosition? = nil, limit: Int
    ) {
        self.visibility = visibility
        self.now = now
        self.categoryIDs = categoryIDs
        self.sellerID = sellerID
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.currency = currency
        self.statuses = statuses
        self.after = after
        self.limit = limit
    }
}

/// A position in the newest-first order; ties on `createdAt` are broken by id.
public struct ProductPosition: Sendable, Equatable {
    public let createdAt: Date
    public let id: ProductID

    public init(createdAt: Date, id: ProductID) {
        self.createdAt = createdAt
        self.id = id
    }
}

/// Where products live. Each method is one round trip to storage, which keeps the cost of a
/// GraphQL query predictable (DataLoaders batch the per-item lookups).
///
/// Errors: `EmporiumError` with `.conflict` for a stale version, `.notFound` for a missing row,
/// `.badUserInput` for a reference to a missing category; anything else is a storage failure.
public protocol ProductStore: Sendable {
    /// Inserts a new product. `product.slug` is the wanted slug; when it is taken (now or
    /// formerly, by any product) the store appends `-2`, `-3`, … and returns the product as stored.
    func create(_ product: Product) async throws -> Product

    /// Saves `product` if the stored version is `expectedVersion`, bumping the version. When the
    /// slug changed, the new one is allocated as in ``create(_:)`` and the old one keeps resolving.
    func update(_ product: Product, expectedVersion: Int) async throws -> Product

    func product(id: ProductID) async throws -> Product?
    /// Batched lookup; missing ids are absent from the result.
    func products(ids: [ProductID]) async throws -> [ProductID: Product]
    /// By current or former slug.
    func product(slug: Slug) async throws -> Product?
    /// Up to `query.limit` products, newest first. (Search is ``SearchIndex``'s.)
    func list(_ query: ProductQuery) async throws -> [Product]
}

/// Where the category tree lives.
public protocol CategoryStore: Sendable {
    /// Errors: `.conflict` when the slug is taken, `.badUserInput` when the parent does not exist.
    func create(_ category: Category) async throws -> Category
    func categories(ids: [CategoryID]) async throws -> [CategoryID: Category]
    func all() async throws -> [Category]
    /// The category and all its descendants.
    func subtree(of id: CategoryID) async throws -> [CategoryID]
    func children(of ids: [CategoryID]) async throws -> [CategoryID: [Category]]
}
