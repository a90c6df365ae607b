import EmporiumCore

extension EmporiumError.Code {
    /// A reservation asked for more units than are available; nothing was reserved.
    public static let insufficientStock = EmporiumError.Code("INSUFFICIENT_STOCK")
}

/// The inventory's errors, worded once so that every path that refuses the same thing says it
/// the same way.
enum InventoryErrors {
    static func unknownProduct(_ id: ProductID) -> EmporiumError {
        .notFound("inventory has no product with id \(id) (products appear here when the catalog announces them)")
    }

    static func unknownWarehouse(_ id: WarehouseID) -> EmporiumError {
        .notFound("no warehouse with id \(id)")
    }

    static func inactiveProduct(_ id: ProductID, action: String) -> EmporiumError {
        EmporiumError(.conflict, "product \(id) is archived; its stock cannot be \(action)")
    }

    static func adjustmentBelowZero(delta: Int, available: Int, warehouse: String) -> EmporiumError {
        .badInput(
            "cannot remove \(-delta) units: only \(available) \(available == 1 ? "unit is" : "units are") available in warehouse \(warehouse)",
            field: "delta"
        )
    }

    static func insufficientStock(_ id: ProductID, requested: Int, available: Int) -> EmporiumError {
        EmporiumError(
            .insufficientStock,
            "only \(available) \(available == 1 ? "unit" : "units") of product \(id) \(available == 1 ? "is" : "are") available; \(requested) requested"
        )
    }

    static func unknownReservation(_ id: ReservationID) -> EmporiumError {
        .notFound("no reservation with id \(id)")
    }
}
