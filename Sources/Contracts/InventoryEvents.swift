import Foundation

/// A product's stock summed over its warehouses, after a movement.
public struct StockTotals: Codable, Sendable, Equatable {
    public var onHand: Int
    public var reserved: Int
    public var available: Int

    public init(onHand: Int, reserved: Int, available: Int) {
        self.onHand = onHand
        self.reserved = reserved
        self.available = available
    }
}

public struct StockChanged: IntegrationEvent {
    public static let eventType = "StockChanged"
    public static let schemaVersion = 1
    public static let topic = Topics.inventoryStock
    public var productId: String
    public var warehouseId: String
    /// The movement: `received`, `adjusted`, `reserved`, `released`, `committed`, `expired`, `created`.
    public var reason: String
    /// Change of on-hand and reserved units in `warehouseId`.
    public var onHandDelta: Int
    public var reservedDelta: Int
    public var totals: StockTotals
    public var aggregateID: String { productId }
    public init(productId: String, warehouseId: String, reason: String, onHandDelta: Int, reservedDelta: Int, totals: StockTotals) {
        self.productId = productId
        self.warehouseId = warehouseId
        self.reason = reason
        self.onHandDelta = onHandDelta
        self.reservedDelta = reservedDelta
        self.totals = totals
    }
    enum CodingKeys: String, CodingKey { case productId, warehouseId, reason, onHandDelta, reservedDelta, totals }
}

/// Available units over all warehouses reached zero.
public struct StockDepleted: IntegrationEvent {
    public static let eventType = "StockDepleted"
    public static let schemaVersion = 1
    public static let topic = Topics.inventoryStock
    public var productId: String
    public var totals: StockTotals
    public var aggregateID: String { productId }
    public init(productId: String, totals: StockTotals) {
        self.productId = productId
        self.totals = totals
    }
    enum CodingKeys: String, CodingKey { case productId, totals }
}

/// Available units went from zero to positive.
public struct StockReplenished: IntegrationEvent {
    public static let eventType = "StockReplenished"
    public static let schemaVersion = 1
    public static let topic = Topics.inventoryStock
    public var productId: String
    public var totals: StockTotals
    public var aggregateID: String { productId }
    public init(productId: String, totals: StockTotals) {
        self.productId = productId
        self.totals = totals
    }
    enum CodingKeys: String, CodingKey { case productId, totals }
}

/// Available units fell to the product's low-stock threshold or below it (from above). The
/// seller is told, so they can restock before the product sells out.
public struct LowStockReached: IntegrationEvent {
    public static let eventType = "LowStockReached"
    public static let schemaVersion = 1
    public static let topic = Topics.inventoryStock
    public var productId: String
    public var sellerId: String
    public var threshold: Int
    public var totals: StockTotals
    public var aggregateID: String { productId }
    public init(productId: String, sellerId: String, threshold: Int, totals: StockTotals) {
        self.productId = productId
        self.sellerId = sellerId
        self.threshold = threshold
        self.totals = totals
    }
    enum CodingKeys: String, CodingKey { case productId, sellerId, threshold, totals }
}

/// Available units rose above the low-stock threshold again.
public struct LowStockCleared: IntegrationEvent {
    public static let eventType = "LowStockCleared"
    public static let schemaVersion = 1
    public static let topic = Topics.inventoryStock
    public var productId: String
    public var sellerId: String
    public var threshold: Int
    public var totals: StockTotals
    public var aggregateID: String { productId }
    public init(productId: String, sellerId: String, threshold: Int, totals: StockTotals) {
        self.productId = productId
        self.sellerId = sellerId
        self.threshold = threshold
        self.totals = totals
    }
    enum CodingKeys: String, CodingKey { case productId, sellerId, threshold, totals }
}

/// Every line of an order is reserved (answer to `OrderPlaced`); the units stay held until Orders
/// settles the order (paid: committed; cancelled: released).
public struct StockReserved: IntegrationEvent {
    public static let eventType = "StockReserved"
    public static let schemaVersion = 1
    public static let topic = Topics.inventoryReservation
    public var orderId: String
    public var reservationId: String
    public var aggregateID: String { orderId }
    public init(orderId: String, reservationId: String) {
        self.orderId = orderId
        self.reservationId = reservationId
    }
    enum CodingKeys: String, CodingKey { case orderId, reservationId }
}

/// An order could not be reserved; nothing was held (answer to `OrderPlaced`).
public struct StockReservationFailed: IntegrationEvent {
    public static let eventType = "StockReservationFailed"
    public static let schemaVersion = 1
    public static let topic = Topics.inventoryReservation
    public var orderId: String
    /// `INSUFFICIENT_STOCK`, `PRODUCT_UNAVAILABLE` (archived or unknown to inventory) or `INVALID_ORDER`.
    public var reason: String
    /// The product at fault, when one is.
    public var productId: String?
    public var requested: Int?
    public var available: Int?
    public var aggregateID: String { orderId }
    public init(orderId: String, reason: String, productId: String? = nil, requested: Int? = nil, available: Int? = nil) {
        self.orderId = orderId
        self.reason = reason
        self.productId = productId
        self.requested = requested
        self.available = available
    }
    enum CodingKeys: String, CodingKey { case orderId, reason, productId, requested, available }
}
