import EmporiumCore
import Foundation

/// A product's row in `inventory.products`, as read under its lock.
struct ProductRow: Sendable {
    let id: ProductID
    let sellerID: UserID
    let isActive: Bool
    let lowStockThreshold: Int
}

/// A product's units in one warehouse, as read under the row lock.
struct StockRow: Sendable {
    let productID: ProductID
    let warehouse: Warehouse
    var onHand: Int
    var reserved: Int
    var available: Int { onHand - reserved }

    var view: WarehouseStock { WarehouseStock(warehouse: warehouse, onHand: onHand, reserved: reserved) }
}

extension [StockRow] {
    var totals: (onHand: Int, reserved: Int, available: Int) {
        reduce((0, 0, 0)) { ($0.0 + $1.onHand, $0.1 + $1.reserved, $0.2 + $1.available) }
    }

    /// The rows after `movements` (of any products; those of other products are ignored).
    func applying(_ movements: [StockMovement]) -> [StockRow] {
        map { row in
            var row = row
            for movement in movements where movement.productID == row.productID && movement.warehouseID == row.warehouse.id {
                row.onHand += movement.onHandDelta
                row.reserved += movement.reservedDelta
            }
            return row
        }
    }
}
