import Foundation
import PostgresNIO

/// Stock levels by product id, one row per (product, warehouse) — a product without stock
/// records still gives one row, with the warehouse columns null.
///
/// A named prepared statement: every page of products through the gateway asks it, and an
/// unnamed statement would make PostgreSQL parse and plan the join again each time
/// (docs/BENCHMARKS.md, #15).
struct StockLevelsStatement: PostgresPreparedStatement {
    typealias Row = (UUID, Int, Bool, String, UUID?, String?, String?, Int?, Int?)

    static let name = "inventory_stock_levels"
    static let sql = """
        SELECT p.product_id, p.low_stock_threshold, p.active, p.seller_id, s.warehouse_id, w.code, w.name, s.on_hand, s.reserved
        FROM inventory.products p
        LEFT JOIN inventory.stock s ON s.product_id = p.product_id
        LEFT JOIN inventory.warehouses w ON w.id = s.warehouse_id
        WHERE p.product_id = ANY($1)
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuidArray]

    let ids: [UUID]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
