import Contracts
import EmporiumCore
import Foundation

/// Builds the events of one transaction's movements of one product: a `StockChanged` per
/// movement (with the running totals after it), then `StockDepleted` or `StockReplenished` when
/// the product's available units crossed zero between the start and the end of the transaction,
/// and `LowStockReached` or `LowStockCleared` when they crossed the low-stock threshold.
///
/// Crossings compare the start and the end only, so a transaction that reserves the last unit of
/// one warehouse and releases one in another (available unchanged) announces nothing.
public struct StockEvents: Sendable {
    public let productID: ProductID
    public let before: StockTotals
    /// The product's seller and low-stock threshold; without them no low-stock event is built.
    public let seller: UserID?
    public let lowStockThreshold: Int
    public private(set) var totals: StockTotals
    public private(set) var changes: [StockChanged] = []

    public init(productID: ProductID, before: StockTotals, seller: UserID? = nil, lowStockThreshold: Int = 0) {
        self.productID = productID
        self.before = before
        self.seller = seller
        self.lowStockThreshold = lowStockThreshold
        self.totals = before
    }

    public mutating func record(_ movement: StockMovement) {
        let onHand = totals.onHand + movement.onHandDelta
        let reserved = totals.reserved + movement.reservedDelta
        totals = StockTotals(onHand: onHand, reserved: reserved, available: onHand - reserved)
        changes.append(StockChanged(
            productId: productID.description, warehouseId: movement.warehouseID.description, reason: movement.reason.rawValue,
            onHandDelta: movement.onHandDelta, reservedDelta: movement.reservedDelta, totals: totals
        ))
    }

    public var depleted: StockDepleted? {
        before.available > 0 && totals.available <= 0 ? StockDepleted(productId: productID.description, totals: totals) : nil
    }

    public var replenished: StockReplenished? {
        before.available <= 0 && totals.available > 0 ? StockReplenished(productId: productID.description, totals: totals) : nil
    }

    /// Available fell to the threshold or below it from above. A threshold of 0 says the same
    /// as `StockDepleted` and stays quiet.
    public var lowStockReached: LowStockReached? {
        guard let seller, lowStockThreshold > 0, before.available > lowStockThreshold, totals.available <= lowStockThreshold else { return nil }
        return LowStockReached(productId: productID.description, sellerId: seller.rawValue, threshold: lowStockThreshold, totals: totals)
    }

    /// Available rose above the threshold from a low level. Not from zero: a first receipt, or a
    /// product back from sold out, is `StockReplenished`, and a new product's first stock is no
    /// news to its seller.
    public var lowStockCleared: LowStockCleared? {
        guard let seller, lowStockThreshold > 0, before.available > 0, before.available <= lowStockThreshold, totals.available > lowStockThreshold
        else { return nil }
        return LowStockCleared(productId: productID.description, sellerId: seller.rawValue, threshold: lowStockThreshold, totals: totals)
    }

    /// The events in publication order, wrapped for the outbox.
    public func envelopes(occurredAt: Date, correlationID: String? = nil) throws -> [EventEnvelope] {
        var envelopes = try changes.map { try EventEnvelope($0, occurredAt: occurredAt, correlationID: correlationID) }
        if let depleted { envelopes.append(try EventEnvelope(depleted, occurredAt: occurredAt, correlationID: correlationID)) }
        if let replenished { envelopes.append(try EventEnvelope(replenished, occurredAt: occurredAt, correlationID: correlationID)) }
        if let lowStockReached { envelopes.append(try EventEnvelope(lowStockReached, occurredAt: occurredAt, correlationID: correlationID)) }
        if let lowStockCleared { envelopes.append(try EventEnvelope(lowStockCleared, occurredAt: occurredAt, correlationID: correlationID)) }
        return envelopes
    }
}

extension StockTotals {
    static let zero = StockTotals(onHand: 0, reserved: 0, available: 0)
}
