import Contracts
import EmporiumCore
import Foundation

/// Builds the events of one transaction's movements of one product: a `StockChanged` per
/// movement (with the running totals after it), then `StockDepleted` or `StockReplenished` when
/// the product's available units crossed zero between the start and the end of the transaction.
///
/// Crossings compare the start and the end only, so a transaction that reserves the last unit of
/// one warehouse and releases one in another (available unchanged) announces nothing.
public struct StockEvents: Sendable {
    public let productID: ProductID
    public let before: StockTotals
    public private(set) var totals: StockTotals
    public private(set) var changes: [StockChanged] = []

    public init(productID: ProductID, before: StockTotals) {
        self.productID = productID
        self.before = before
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

    /// The events in publication order, wrapped for the outbox.
    public func envelopes(occurredAt: Date, correlationID: String? = nil) throws -> [EventEnvelope] {
        var envelopes = try changes.map { try EventEnvelope($0, occurredAt: occurredAt, correlationID: correlationID) }
        if let depleted { envelopes.append(try EventEnvelope(depleted, occurredAt: occurredAt, correlationID: correlationID)) }
        if let replenished { envelopes.append(try EventEnvelope(replenished, occurredAt: occurredAt, correlationID: correlationID)) }
        return envelopes
    }
}

extension StockTotals {
    static let zero = StockTotals(onHand: 0, reserved: 0, available: 0)
}
