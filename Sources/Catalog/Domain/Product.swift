import EmporiumCore
import Foundation

/// A key/value attribute such as `color = black`.
public struct ProductAttribute: Sendable, Equatable, Codable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A product in the catalog (the aggregate root of this service).
public struct Product: Sendable, Equatable, Codable {
    public let id: ProductID
    public let sellerID: UserID
    public var title: String
    public var slug: Slug
    public var description: String
    public var price: Money
    public var compareAtPrice: Money?
    public var categoryID: CategoryID?
    public var attributes: [ProductAttribute]
    public var imageURLs: [String]
    public var status: ProductStatus
    public var publishAt: Date?
    public let createdAt: Date
    public var updatedAt: Date
    /// Incremented on every change; updates name the version they expect (optimistic concurrency).
    public var version: Int

    public init(
        id: ProductID, sellerID: UserID, title: String, slug: Slug, description: String, price: Money,
        compareAtPrice: Money?, categoryID: CategoryID?, attributes: [ProductAttribute], imageURLs: [String],
        status: ProductStatus, publishAt: Date?, createdAt: Date, updatedAt: Date, version: Int
    ) {
        self.id = id
        self.sellerID = sellerID
        self.title = title
        self.slug = slug
        self.description = description
        self.price = price
        self.compareAtPrice = compareAtPrice
        self.categoryID = categoryID
        self.attributes = attributes
        self.imageURLs = imageURLs
        self.status = status
        self.publishAt = publishAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// Whether the public sees the product at `now`: published, or scheduled and due.
    public func isPubliclyVisible(at now: Date) -> Bool {
        switch status {
        case .published: return true
        case .scheduled: return (publishAt ?? .distantFuture) <= now
        case .draft, .archived: return false
        }
    }
}
