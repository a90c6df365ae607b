import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// ``StockStore`` on PostgreSQL (schema `inventory`).
public struct PostgresStockStore: StockStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func warehouses() async throws -> [Warehouse] {
        let rows = try await client.query(
            "SELECT id, code, name FROM inventory.warehouses ORDER BY id = \(Warehouse.defaultID.uuid) DESC, code", logger: logger
        ).decode((UUID, String, String).self).collectAll()
        return rows.map { Warehouse(id: WarehouseID(uuid: $0.0), code: $0.1, name: $0.2) }
    }

    public func createWarehouse(_ warehouse: Warehouse) async throws -> Warehouse {
        do {
            try await client.query(
                "INSERT INTO inventory.warehouses (id, code, name) VALUES (\(warehouse.id.uuid), \(warehouse.code), \(warehouse.name))",
                logger: logger
            )
            return warehouse
        } catch let error where PostgresErrors.sqlState(of: error) == PostgresErrors.uniqueViolation {
            throw EmporiumError(.conflict, "a warehouse with code \(warehouse.code) already exists")
        }
    }

    public func products(ids: [ProductID]) async throws -> [ProductID: StockedProduct] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query(
            "SELECT product_id, seller_id, active FROM inventory.products WHERE product_id = ANY(\(ids.map(\.uuid)))", logger: logger
        ).decode((UUID, String, Bool).self).collectAll()
        return Dictionary(rows.map { (ProductID(uuid: $0.0), StockedProduct(id: ProductID(uuid: $0.0), sellerID: UserID($0.1), isActive: $0.2)) },
                          uniquingKeysWith: { first, _ in first })
    }

    public func stockLevels(productIDs: [ProductID]) async throws -> [ProductID: StockLevel] {
        guard !productIDs.isEmpty else { return [:] }
        let logger = logger
        return try await client.withConnection { connection in
            try await StockSQL.levels(productIDs, on: connection, logger: logger)
        }
    }

    public func apply(_ movement: StockMovement, at: Date, owner: UserID?) async throws -> StockLevel {
        let logger = logger
        do {
            return try await client.transaction(logger: logger) { connection in
                let id = movement.productID
                guard let product = try await StockSQL.lockProducts([id], on: connection, logger: logger)[id] else {
                    throw InventoryErrors.unknownProduct(id)
                }
                if let owner, product.sellerID != owner {
                    throw EmporiumError(.forbidden, "you may only change your own products' stock")
                }
                // Archived products take no new units; adjustments stay possible, to write off
                // what is left.
                if movement.reason == .received, !product.isActive {
                    throw InventoryErrors.inactiveProduct(id, action: "received")
                }
                guard try await StockSQL.ensureStockRow(id, movement.warehouseID, on: connection, logger: logger) else {
                    throw InventoryErrors.unknownWarehouse(movement.warehouseID)
                }
                let stock = try await StockSQL.lockStock([id], on: connection, logger: logger)
                let rows = stock[id] ?? []
                guard let row = rows.first(where: { $0.warehouse.id == movement.warehouseID }) else {
                    throw InventoryErrors.unknownWarehouse(movement.warehouseID)
                }
                // Reserved units are promised to orders: on hand may not drop below them.
                if movement.onHandDelta < 0, row.available + movement.onHandDelta < 0 {
                    throw InventoryErrors.adjustmentBelowZero(delta: movement.onHandDelta, available: row.available, warehouse: row.warehouse.code)
                }
                try await StockSQL.apply([movement], at: at, on: connection, logger: logger)
                try await StockSQL.publish([movement], products: [id: product], before: stock, at: at, correlationID: nil, on: connection, logger: logger)
                return StockSQL.level(product, rows.applying([movement]))
            }
        } catch {
            throw StockStoreErrors.translate(error)
        }
    }

    public func setLowStockThreshold(_ threshold: Int, productID: ProductID) async throws -> StockLevel {
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            let updated = try await connection.query("""
                UPDATE inventory.products SET low_stock_threshold = \(threshold), updated_at = now()
                WHERE product_id = \(productID.uuid) RETURNING 1
                """, logger: logger).collectAll()
            guard !updated.isEmpty else { throw InventoryErrors.unknownProduct(productID) }
            return try await StockSQL.levels([productID], on: connection, logger: logger)[productID] ?? .empty(productID)
        }
    }
}
