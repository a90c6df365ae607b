import Contracts
import Database
import EmporiumCore
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Statements the stores share, each on the caller's connection (inside its transaction).
///
/// Lock order, the same in every command: reservation rows (when the command has any), then
/// product rows, then stock rows — products and stock in product-id order, in one statement
/// each. The product row is the per-product mutex (it also covers stock rows that do not exist
/// yet); the stock rows are then locked explicitly too, so the rows a command reads are exactly
/// the ones it updates.
enum StockSQL {
    static let outbox = Outbox(schema: "inventory")

    static func lockProducts(_ ids: [ProductID], on connection: PostgresConnection, logger: Logger) async throws -> [ProductID: ProductRow] {
        guard !ids.isEmpty else { return [:] }
        var rows: [(UUID, String, Bool, Int)] = []
        for try await row in try await connection.run(ProductLocked.self, or: ProductsLocked.self, ids: ids.map(\.uuid), logger: logger) {
            rows.append(try row.decode((UUID, String, Bool, Int).self))
        }
        return Dictionary(rows.map { row in
            (ProductID(uuid: row.0), ProductRow(id: ProductID(uuid: row.0), sellerID: UserID(row.1), isActive: row.2, lowStockThreshold: row.3))
        }, uniquingKeysWith: { first, _ in first })
    }

    static func lockStock(_ ids: [ProductID], on connection: PostgresConnection, logger: Logger) async throws -> [ProductID: [StockRow]] {
        guard !ids.isEmpty else { return [:] }
        var stock: [ProductID: [StockRow]] = [:]
        for try await undecoded in try await connection.run(StockLocked.self, or: StocksLocked.self, ids: ids.map(\.uuid), logger: logger) {
            let row = try undecoded.decode((UUID, UUID, String, String, Int, Int).self)
            let warehouse = Warehouse(id: WarehouseID(uuid: row.1), code: row.2, name: row.3)
            stock[ProductID(uuid: row.0), default: []].append(StockRow(productID: ProductID(uuid: row.0), warehouse: warehouse, onHand: row.4, reserved: row.5))
        }
        return stock
    }

    // Prepared, in one-product forms: every reservation and commit locks its products and stock.
    private static let productColumns = "SELECT product_id, seller_id, active, low_stock_threshold FROM inventory.products"

    enum ProductLocked: PreparedSQL {
        static let name = "inventory_product_locked"
        static let sql = productColumns + " WHERE product_id = $1::uuid FOR NO KEY UPDATE"
    }

    enum ProductsLocked: PreparedSQL {
        static let name = "inventory_products_locked"
        static let sql = productColumns + " WHERE product_id = ANY($1::uuid[]) ORDER BY product_id FOR NO KEY UPDATE"
    }

    private static let stockColumns = """
        SELECT s.product_id, s.warehouse_id, w.code, w.name, s.on_hand, s.reserved
        FROM inventory.stock s JOIN inventory.warehouses w ON w.id = s.warehouse_id
        """

    enum StockLocked: PreparedSQL {
        static let name = "inventory_stock_locked"
        static let sql = stockColumns + " WHERE s.product_id = $1::uuid ORDER BY s.warehouse_id FOR UPDATE OF s"
    }

    enum StocksLocked: PreparedSQL {
        static let name = "inventory_stocks_locked"
        static let sql = stockColumns + " WHERE s.product_id = ANY($1::uuid[]) ORDER BY s.product_id, s.warehouse_id FOR UPDATE OF s"
    }

    /// Opens the product's stock record in `warehouse` if it has none; false when the warehouse
    /// does not exist.
    static func ensureStockRow(_ product: ProductID, _ warehouse: WarehouseID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            WITH opened AS (
                INSERT INTO inventory.stock (product_id, warehouse_id)
                SELECT \(product.uuid), w.id FROM inventory.warehouses w WHERE w.id = \(warehouse.uuid)
                ON CONFLICT DO NOTHING
            )
            SELECT 1 FROM inventory.warehouses WHERE id = \(warehouse.uuid)
            """, logger: logger).collectAll()
        return !rows.isEmpty
    }

    /// Updates the stock rows and appends the movements to the log. The CHECK constraints make
    /// the update fail rather than leave negative units, should a caller's check be missing.
    static func apply(_ movements: [StockMovement], at: Date, on connection: PostgresConnection, logger: Logger) async throws {
        guard !movements.isEmpty else { return }
        // One UPDATE per row: several movements of one row (an expiry batch) are summed first,
        // because UPDATE … FROM applies only one source row per target row.
        var sums: [String: (product: UUID, warehouse: UUID, onHand: Int, reserved: Int)] = [:]
        for movement in movements {
            let key = "\(movement.productID)/\(movement.warehouseID)"
            var sum = sums[key] ?? (movement.productID.uuid, movement.warehouseID.uuid, 0, 0)
            sum.onHand += movement.onHandDelta
            sum.reserved += movement.reservedDelta
            sums[key] = sum
        }
        let rows = Array(sums.values)
        try await connection.query("""
            UPDATE inventory.stock s
            SET on_hand = s.on_hand + v.on_hand_delta, reserved = s.reserved + v.reserved_delta, updated_at = \(at)
            FROM unnest(\(rows.map(\.product))::uuid[], \(rows.map(\.warehouse))::uuid[], \(rows.map(\.onHand))::integer[], \(rows.map(\.reserved))::integer[])
                AS v(product_id, warehouse_id, on_hand_delta, reserved_delta)
            WHERE s.product_id = v.product_id AND s.warehouse_id = v.warehouse_id
            """, logger: logger)
        // Arrays cannot carry NULLs through the driver: empty text stands for "none".
        try await connection.query("""
            INSERT INTO inventory.stock_movements
                (product_id, warehouse_id, on_hand_delta, reserved_delta, reason, note, actor, reservation_id, at)
            SELECT v.product_id, v.warehouse_id, v.on_hand_delta, v.reserved_delta, v.reason,
                   NULLIF(v.note, ''), NULLIF(v.actor, ''), NULLIF(v.reservation_id, '')::uuid, \(at)
            FROM unnest(
                \(movements.map(\.productID.uuid))::uuid[], \(movements.map(\.warehouseID.uuid))::uuid[],
                \(movements.map(\.onHandDelta))::integer[], \(movements.map(\.reservedDelta))::integer[],
                \(movements.map(\.reason.rawValue))::text[], \(movements.map { $0.note ?? "" })::text[],
                \(movements.map { $0.actor ?? "" })::text[], \(movements.map { $0.reservationID?.description ?? "" })::text[]
            ) AS v(product_id, warehouse_id, on_hand_delta, reserved_delta, reason, note, actor, reservation_id)
            """, logger: logger)
    }

    /// Plans the events of `movements` against the locked rows and appends them to the outbox.
    static func publish(
        _ movements: [StockMovement], products: [ProductID: ProductRow], before stock: [ProductID: [StockRow]], at: Date, correlationID: String?,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        var plans: [ProductID: StockEvents] = [:]
        var order: [ProductID] = []
        for movement in movements {
            if plans[movement.productID] == nil {
                let totals = (stock[movement.productID] ?? []).totals
                plans[movement.productID] = StockEvents(
                    productID: movement.productID,
                    before: StockTotals(onHand: totals.onHand, reserved: totals.reserved, available: totals.available),
                    seller: products[movement.productID]?.sellerID, lowStockThreshold: products[movement.productID]?.lowStockThreshold ?? 0
                )
                order.append(movement.productID)
            }
            plans[movement.productID]!.record(movement)
        }
        let envelopes = try order.flatMap { try plans[$0]!.envelopes(occurredAt: at, correlationID: correlationID) }
        try await outbox.append(envelopes, on: connection, logger: logger)
    }

    /// Current levels with warehouse names, one query for any number of products.
    static func levels(_ ids: [ProductID], on connection: PostgresConnection, logger: Logger) async throws -> [ProductID: StockLevel] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.execute(StockLevelsStatement(ids: ids.map(\.uuid)), logger: logger).collectAll()
        var products: [ProductID: (threshold: Int, active: Bool, seller: UserID, stock: [WarehouseStock])] = [:]
        for row in rows {
            let id = ProductID(uuid: row.0)
            var entry = products[id] ?? (row.1, row.2, UserID(row.3), [])
            if let warehouse = row.4, let code = row.5, let name = row.6, let onHand = row.7, let reserved = row.8 {
                entry.stock.append(WarehouseStock(warehouse: Warehouse(id: WarehouseID(uuid: warehouse), code: code, name: name), onHand: onHand, reserved: reserved))
            }
            products[id] = entry
        }
        return products.reduce(into: [:]) { levels, entry in
            levels[entry.key] = StockLevel(productID: entry.key, warehouses: entry.value.stock, lowStockThreshold: entry.value.threshold, isActive: entry.value.active, sellerID: entry.value.seller)
        }
    }

    static func level(_ product: ProductRow, _ rows: [StockRow]) -> StockLevel {
        StockLevel(productID: product.id, warehouses: rows.map(\.view), lowStockThreshold: product.lowStockThreshold, isActive: product.isActive, sellerID: product.sellerID)
    }
}
