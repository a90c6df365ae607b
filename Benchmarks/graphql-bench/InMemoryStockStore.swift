import EmporiumCore
import Foundation
import Inventory

/// A read-only `StockStore` over fixed stock levels: the batched reads the inventory subgraph
/// makes are dictionary reads. Stock commands throw: the scenarios only read.
struct InMemoryStockStore: StockStore {
    private let stockedWarehouses: [Warehouse]
    private let levels: [ProductID: StockLevel]

    init(warehouses: [Warehouse], levels: [ProductID: StockLevel]) {
        stockedWarehouses = warehouses
        self.levels = levels
    }

    func warehouses() async throws -> [Warehouse] { stockedWarehouses }

    func createWarehouse(_ warehouse: Warehouse) async throws -> Warehouse { throw Self.readOnly }

    func products(ids: [ProductID]) async throws -> [ProductID: StockedProduct] {
        var found: [ProductID: StockedProduct] = [:]
        for id in ids {
            if let level = levels[id], let seller = level.sellerID {
                found[id] = StockedProduct(id: id, sellerID: seller, isActive: level.isActive)
            }
        }
        return found
    }

    func stockLevels(productIDs: [ProductID]) async throws -> [ProductID: StockLevel] {
        var found: [ProductID: StockLevel] = [:]
        found.reserveCapacity(productIDs.count)
        for id in productIDs { found[id] = levels[id] }
        return found
    }

    func apply(_ movement: StockMovement, at: Date, owner: UserID?) async throws -> StockLevel { throw Self.readOnly }
    func setLowStockThreshold(_ threshold: Int, productID: ProductID) async throws -> StockLevel { throw Self.readOnly }

    private static let readOnly = EmporiumError(.internalError, "the benchmark's stock store is read-only")
}
