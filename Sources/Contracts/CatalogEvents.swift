public import Foundation

/// A price on the wire: minor units and an ISO 4217 code.
public struct MoneyValue: Codable, Sendable, Equatable {
    public var amount: Int64
    public var currency: String

    public init(amount: Int64, currency: String) {
        self.amount = amount
        self.currency = currency
    }
}

/// What every catalog event carries about the product, so consumers rarely need to call back.
public struct ProductSnapshot: Codable, Sendable, Equatable {
    public var productId: String
    public var sellerId: String
    public var title: String
    public var slug: String
    public var price: MoneyValue
    /// `DRAFT`, `SCHEDULED`, `PUBLISHED` or `ARCHIVED`.
    public var status: String
    public var categoryId: String?
    /// The product's version after the change; consumers can ignore an older snapshot.
    public var version: Int

    public init(productId: String, sellerId: String, title: String, slug: String, price: MoneyValue, status: String, categoryId: String?, version: Int) {
        self.productId = productId
        self.sellerId = sellerId
        self.title = title
        self.slug = slug
        self.price = price
        self.status = status
        self.categoryId = categoryId
        self.version = version
    }
}

public struct ProductCreated: IntegrationEvent {
    public static let eventType = "ProductCreated"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogProduct
    public var product: ProductSnapshot
    public var aggregateID: String { product.productId }
    public init(product: ProductSnapshot) { self.product = product }
    enum CodingKeys: String, CodingKey { case product }
}

public struct ProductUpdated: IntegrationEvent {
    public static let eventType = "ProductUpdated"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogProduct
    public var product: ProductSnapshot
    /// Names of the GraphQL fields that changed (`title`, `slug`, `price`, …).
    public var changedFields: [String]
    public var aggregateID: String { product.productId }
    public init(product: ProductSnapshot, changedFields: [String]) {
        self.product = product
        self.changedFields = changedFields
    }
    enum CodingKeys: String, CodingKey { case product, changedFields }
}

public struct ProductPublished: IntegrationEvent {
    public static let eventType = "ProductPublished"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogProduct
    public var product: ProductSnapshot
    /// When it became visible.
    public var publishAt: Date
    public var aggregateID: String { product.productId }
    public init(product: ProductSnapshot, publishAt: Date) {
        self.product = product
        self.publishAt = publishAt
    }
    enum CodingKeys: String, CodingKey { case product, publishAt }
}

/// A product will be published at `publishAt` (a job publishes it then, and `ProductPublished`
/// follows at that moment). Rescheduling announces the new time; cancelling returns it to draft.
public struct ProductPublicationScheduled: IntegrationEvent {
    public static let eventType = "ProductPublicationScheduled"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogProduct
    public var product: ProductSnapshot
    public var publishAt: Date
    public var aggregateID: String { product.productId }
    public init(product: ProductSnapshot, publishAt: Date) {
        self.product = product
        self.publishAt = publishAt
    }
    enum CodingKeys: String, CodingKey { case product, publishAt }
}

public struct ProductArchived: IntegrationEvent {
    public static let eventType = "ProductArchived"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogProduct
    public var product: ProductSnapshot
    public var aggregateID: String { product.productId }
    public init(product: ProductSnapshot) { self.product = product }
    enum CodingKeys: String, CodingKey { case product }
}

public struct PriceChanged: IntegrationEvent {
    public static let eventType = "PriceChanged"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogProduct
    public var productId: String
    public var previousPrice: MoneyValue
    public var price: MoneyValue
    public var version: Int
    public var aggregateID: String { productId }
    public init(productId: String, previousPrice: MoneyValue, price: MoneyValue, version: Int) {
        self.productId = productId
        self.previousPrice = previousPrice
        self.price = price
        self.version = version
    }
    enum CodingKeys: String, CodingKey { case productId, previousPrice, price, version }
}

/// Reads of products counted at the public edge, in a batch: `product(id:)` by id,
/// `productBySlug(slug:)` by slug. Published directly (fire-and-forget, not through an outbox):
/// a lost batch loses views, never a sale.
public struct ProductViewsCounted: IntegrationEvent {
    public static let eventType = "ProductViewsCounted"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogViews

    public struct Views: Codable, Sendable, Equatable {
        public var productId: String?
        public var slug: String?
        public var count: Int

        public init(productId: String? = nil, slug: String? = nil, count: Int) {
            self.productId = productId
            self.slug = slug
            self.count = count
        }
    }

    /// Names the batch; batches spread over partitions by it.
    public var batchId: String
    public var views: [Views]
    public var aggregateID: String { batchId }

    public init(batchId: String, views: [Views]) {
        self.batchId = batchId
        self.views = views
    }
    enum CodingKeys: String, CodingKey { case batchId, views }
}

/// A product export was written and can be downloaded (`exportJob(id)` hands out the link).
public struct ProductExportCompleted: IntegrationEvent {
    public static let eventType = "ProductExportCompleted"
    public static let schemaVersion = 1
    public static let topic = Topics.catalogExport
    public var exportId: String
    /// Who asked for it: they are told.
    public var requestedBy: String
    /// `xlsx` or `csv`.
    public var format: String
    public var rowCount: Int
    public var aggregateID: String { exportId }

    public init(exportId: String, requestedBy: String, format: String, rowCount: Int) {
        self.exportId = exportId
        self.requestedBy = requestedBy
        self.format = format
        self.rowCount = rowCount
    }
    enum CodingKeys: String, CodingKey { case exportId, requestedBy, format, rowCount }
}
