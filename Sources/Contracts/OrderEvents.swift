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

/// A buyer checked out: the order is `PENDING` until inventory reserves every line (or cannot).
/// Inventory consumes it and answers with ``StockReserved`` or ``StockReservationFailed``.
public struct OrderPlaced: IntegrationEvent {
    public static let eventType = "OrderPlaced"
    public static let schemaVersion = 1
    public static let topic = Topics.ordersOrder
    public var orderId: String
    public var buyerId: String
    public var lines: [OrderLineValue]
    public var total: MoneyValue
    public var aggregateID: String { orderId }

    public init(orderId: String, buyerId: String, lines: [OrderLineValue], total: MoneyValue) {
        self.orderId = orderId
        self.buyerId = buyerId
        self.lines = lines
        self.total = total
    }
    enum CodingKeys: String, CodingKey { case orderId, buyerId, lines, total }
}

/// One seller's part of an order moved from one status to another (payment, shipping, delivery).
public struct SellerOrderStatusChanged: IntegrationEvent {
    public static let eventType = "SellerOrderStatusChanged"
    public static let schemaVersion = 1
    public static let topic = Topics.ordersOrder
    public var sellerOrderId: String
    public var orderId: String
    public var sellerId: String
    public var buyerId: String
    public var lines: [OrderLineValue]
    public var from: String?
    public var to: String
    public var reason: String?
    public var occurredAt: Date
    /// Keyed by the order, so an order's events stay in one partition and in order.
    public var aggregateID: String { orderId }

    public init(
        sellerOrderId: String, orderId: String, sellerId: String, buyerId: String, lines: [OrderLineValue], from: String?, to: String,
        reason: String?, occurredAt: Date
    ) {
        self.sellerOrderId = sellerOrderId
        self.orderId = orderId
        self.sellerId = sellerId
        self.buyerId = buyerId
        self.lines = lines
        self.from = from
        self.to = to
        self.reason = reason
        self.occurredAt = occurredAt
    }
    enum CodingKeys: String, CodingKey { case sellerOrderId, orderId, sellerId, buyerId, lines, from, to, reason, occurredAt }
}

/// A seller approved a buyer's return: the money goes back (through the payment provider) and
/// inventory puts the units back on hand.
public struct ReturnApproved: IntegrationEvent {
    public static let eventType = "ReturnApproved"
    public static let schemaVersion = 1
    public static let topic = Topics.ordersOrder
    public var returnId: String
    public var orderId: String
    public var sellerOrderId: String
    public var sellerId: String
    public var buyerId: String
    /// The returned units, at the prices paid.
    public var lines: [OrderLineValue]
    public var amount: MoneyValue
    public var aggregateID: String { orderId }

    public init(returnId: String, orderId: String, sellerOrderId: String, sellerId: String, buyerId: String, lines: [OrderLineValue], amount: MoneyValue) {
        self.returnId = returnId
        self.orderId = orderId
        self.sellerOrderId = sellerOrderId
        self.sellerId = sellerId
        self.buyerId = buyerId
        self.lines = lines
        self.amount = amount
    }
    enum CodingKeys: String, CodingKey { case returnId, orderId, sellerOrderId, sellerId, buyerId, lines, amount }
}
