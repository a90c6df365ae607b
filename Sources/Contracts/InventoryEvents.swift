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
