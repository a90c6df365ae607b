import EmporiumCore
import Foundation

/// Why stock moved. The raw values are the `reason` of `StockChanged` events and of the
/// movement log.
public enum MovementReason: String, Sendable, CaseIterable {
    /// Units arrived (on hand +).
    case received
    /// A correction by hand (on hand ±), with a note saying why.
    case adjusted
    /// Held for an order (reserved +).
    case reserved
    /// A reservation was cancelled (reserved −).
    case released
    /// A reservation shipped (on hand −, reserved −).
    case committed
    /// A reservation ran out of time (reserved −).
    case expired
    /// Committed units came back (on hand +): an order cancelled after payment, or a return.
    case restocked
}

/// One change of one product's units in one warehouse.
public struct StockMovement: Sendable, Equatable {
    public let productID: ProductID
    public let warehouseID: WarehouseID
    public let onHandDelta: Int
    public let reservedDelta: Int
    public let reason: MovementReason
    /// Free text for the movement log (the reason an adjustment gives).
    public let note: String?
    /// Who caused it: a user id, or a service name for internal callers.
    public let actor: String?
    public let reservationID: ReservationID?

    public init(
        productID: ProductID, warehouseID: WarehouseID, onHandDelta: Int, reservedDelta: Int, reason: MovementReason,
        note: String? = nil, actor: String?, reservationID: ReservationID? = nil
    ) {
        self.productID = productID
        self.warehouseID = warehouseID
        self.onHandDelta = onHandDelta
        self.reservedDelta = reservedDelta
        self.reason = reason
        self.note = note
        self.actor = actor
        self.reservationID = reservationID
    }
}
