import EmporiumCore
import Foundation
import Graphiti
import GraphQL
import GraphQLSupport

/// Root fields of the inventory subgraph. Each one parses its arguments into domain types and
/// calls ``StockKeeper``; errors stay `EmporiumError` until the GraphQL edge maps them.
public struct InventoryResolver: Sendable {
    public let sdl: String

    public init(sdl: String = InventorySchema.sdl) {
        self.sdl = sdl
    }

    public struct StockArguments: Codable, Sendable { public let productId: GraphID }
    public struct IDArguments: Codable, Sendable { public let id: GraphID }
    public struct ReceiveStockArguments: Codable, Sendable {
        public let productId: GraphID
        public let warehouseId: GraphID?
        public let quantity: Int
    }
    public struct AdjustStockArguments: Codable, Sendable {
        public let productId: GraphID
        public let warehouseId: GraphID?
        public let delta: Int
        public let reason: String
    }
    public struct SetLowStockThresholdArguments: Codable, Sendable {
        public let productId: GraphID
        public let threshold: Int
    }
    public struct CreateWarehouseArguments: Codable, Sendable {
        public let code: String
        public let name: String
    }
    public struct ReserveStockArguments: Codable, Sendable {
        public let lines: [ReservationLineInput]
        public let ttlSeconds: Int?
    }

    // MARK: Queries

    @Sendable public func warehouses(context: InventoryContext, arguments: NoArguments) async throws -> [Warehouse] {
        try await context.keeper.warehouses()
    }

    @Sendable public func stock(context: InventoryContext, arguments: StockArguments) async throws -> StockLevel {
        let id = try ProductID(parsing: arguments.productId.value, field: "productId")
        context.responseTags.add(InventoryCacheTags.stock(id))
        return try await context.stockLevels.load(id) ?? .empty(id)
    }

    // MARK: Federation

    public struct ProductKey: Codable, Sendable { public let id: GraphID }

    /// Any product id resolves (stock is zero for products inventory has not heard of); only a
    /// malformed id is null.
    /// `_entities` for products, a batch at a time (see `EntityBatches`). Their stock — the
    /// reason anyone asks inventory for a product — is read here in one query, so the `stock` and
    /// `inStock` fields find it loaded instead of relying on the DataLoader's batching window.
    @Sendable static func productEntities(_ representations: [Map], context: InventoryContext) async throws -> [(any Sendable)?] {
        let ids = representations.map { $0["id"].string.flatMap { try? ProductID(parsing: $0) } }
        _ = try await context.stockLevels.loadMany(ids.compactMap { $0 })
        return ids.map { id in id.map(ProductReference.init(id:)) }
    }

    /// The per-representation resolver Graphiti's `.key(at:)` needs to declare the entity; at run
    /// time `_entities` goes through the batch resolver above instead.
    @Sendable public func productEntity(context: InventoryContext, arguments: ProductKey) async throws -> ProductReference? {
        guard let id = try? ProductID(parsing: arguments.id.value) else { return nil }
        return ProductReference(id: id)
    }

    // MARK: Mutations

    @Sendable public func receiveStock(context: InventoryContext, arguments: ReceiveStockArguments) async throws -> StockLevel {
        try await context.keeper.receiveStock(
            productID: try ProductID(parsing: arguments.productId.value, field: "productId"),
            warehouseID: try arguments.warehouseId.map { try WarehouseID(parsing: $0.value, field: "warehouseId") },
            quantity: arguments.quantity, by: context.principal
        )
    }

    @Sendable public func adjustStock(context: InventoryContext, arguments: AdjustStockArguments) async throws -> StockLevel {
        try await context.keeper.adjustStock(
            productID: try ProductID(parsing: arguments.productId.value, field: "productId"),
            warehouseID: try arguments.warehouseId.map { try WarehouseID(parsing: $0.value, field: "warehouseId") },
            delta: arguments.delta, reason: arguments.reason, by: context.principal
        )
    }

    @Sendable public func setLowStockThreshold(context: InventoryContext, arguments: SetLowStockThresholdArguments) async throws -> StockLevel {
        try await context.keeper.setLowStockThreshold(
            productID: try ProductID(parsing: arguments.productId.value, field: "productId"),
            threshold: arguments.threshold, by: context.principal
        )
    }

    @Sendable public func createWarehouse(context: InventoryContext, arguments: CreateWarehouseArguments) async throws -> Warehouse {
        try await context.keeper.createWarehouse(code: arguments.code, name: arguments.name, by: context.principal)
    }

    @Sendable public func reserveStock(context: InventoryContext, arguments: ReserveStockArguments) async throws -> Reservation {
        let items = try arguments.lines.enumerated().map { index, line in
            ReservationItem(productID: try ProductID(parsing: line.productId.value, field: "lines[\(index)].productId"), quantity: line.quantity)
        }
        return try await context.keeper.reserve(items, ttl: arguments.ttlSeconds.map { .seconds($0) }, by: context.principal)
    }

    @Sendable public func releaseReservation(context: InventoryContext, arguments: IDArguments) async throws -> Reservation {
        try await context.keeper.release(try ReservationID(parsing: arguments.id.value, field: "id"), by: context.principal)
    }

    @Sendable public func commitReservation(context: InventoryContext, arguments: IDArguments) async throws -> Reservation {
        try await context.keeper.commit(try ReservationID(parsing: arguments.id.value, field: "id"), by: context.principal)
    }
}
