public import Foundation

/// One line of an order as events carry it.
public struct OrderLineValue: Codable, Sendable, Equatable {
    public var productId: String
    public var sellerId: String
    public var quantity: Int
    /// The unit price snapshotted at checkout.
    public var unitPrice: MoneyValue

    public init(productId: String, sellerId: String, quantity: Int, unitPrice: MoneyValue) {
        self.productId = productId
        self.sellerId = sellerId
        self.quantity = quantity
        self.unitPrice = unitPrice
    }
}

/// An order (or one seller's part of it) moved from one status to another. The contract the
/// Orders service publishes and Notifications consumes: the buyer hears of every change, the
/// sellers of a new order (`from` empty, `to` `PENDING`).
public struct OrderStatusChanged: IntegrationEvent {
    public static let eventType = "OrderStatusChanged"
    public static let schemaVersion = 1
    public static let topic = Topics.ordersOrder
    public var orderId: String
    /// The seller's part that changed, when the change is one seller's (shipping); nil for the whole order.
    public var sellerOrderId: String?
    public var buyerId: String
    public var sellerIds: [String]
    public var lines: [OrderLineValue]
    /// The status before; nil when the order was just placed.
    public var from: String?
    public var to: String
    public var reason: String?
    public var occurredAt: Date
    public var aggregateID: String { orderId }

    public init(
        orderId: String, sellerOrderId: String?, buyerId: String, sellerIds: [String], lines: [OrderLineValue], from: String?, to: String,
        reason: String?, occurredAt: Date
    ) {
        self.orderId = orderId
        self.sellerOrderId = sellerOrderId
        self.buyerId = buyerId
        self.sellerIds = sellerIds
        self.lines = lines
        self.from = from
        self.to = to
        self.reason = reason
        self.occurredAt = occurredAt
    }
    enum CodingKeys: String, CodingKey { case orderId, sellerOrderId, buyerId, sellerIds, lines, from, to, reason, occurredAt }
}
