import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// Root fields of the inventory subgraph. Each one reads its arguments (already coerced to the
/// schema's types by the engine) into domain types and calls ``StockKeeper``; errors stay
/// `EmporiumError` until the GraphQL edge maps them.
enum InventoryResolver {
    // MARK: Queries

    @Sendable static func warehouses(_: RootValue, arguments _: FieldArguments, context: InventoryContext) async throws -> [Warehouse] {
        try await context.keeper.warehouses()
    }

    @Sendable static func stock(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> StockLevel {
        let id = try ProductID(parsing: try arguments.requiredString("productId"), field: "productId")
        context.responseTags.add(InventoryCacheTags.stock(id))
        return try await context.stockLevels.loadMany([id])[id] ?? .empty(id)
    }

    // MARK: Federation

    /// `_entities` for products, a batch at a time. Any product id resolves (stock is zero for
    /// products inventory has not heard of); only a malformed id is null. Their stock — the
    /// reason anyone asks inventory for a product — is read here in one query, so the `stock`
    /// and `inStock` fields find it loaded.
    @Sendable static func productEntities(_ representations: [Map], context: InventoryContext) async throws -> [OutputValue] {
        let ids = representations.map { $0["id"].string.flatMap { try? ProductID(parsing: $0) } }
        _ = try await context.stockLevels.loadMany(ids.compactMap { $0 })
        return ids.map { id in id.map(ProductReference.init(id:)).outputValue }
    }

    // MARK: Mutations

    @Sendable static func receiveStock(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> StockLevel {
        try await context.keeper.receiveStock(
            productID: try productID(arguments), warehouseID: try warehouseID(arguments),
            quantity: try arguments.requiredInt("quantity"), by: context.principal
        )
    }

    @Sendable static func adjustStock(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> StockLevel {
        try await context.keeper.adjustStock(
            productID: try productID(arguments), warehouseID: try warehouseID(arguments),
            delta: try arguments.requiredInt("delta"), reason: try arguments.requiredString("reason"), by: context.principal
        )
    }

    @Sendable static func setLowStockThreshold(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> StockLevel {
        try await context.keeper.setLowStockThreshold(
            productID: try productID(arguments), threshold: try arguments.requiredInt("threshold"), by: context.principal
        )
    }

    @Sendable static func createWarehouse(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> Warehouse {
        try await context.keeper.createWarehouse(
            code: try arguments.requiredString("code"), name: try arguments.requiredString("name"), by: context.principal)
    }

    @Sendable static func reserveStock(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> Reservation {
        guard let lines = try arguments.decode([ReservationLineInput].self, "lines") else { throw FieldArgumentError(argument: "lines") }
        let items = try lines.enumerated().map { index, line in
            ReservationItem(productID: try ProductID(parsing: line.productId.value, field: "lines[\(index)].productId"), quantity: line.quantity)
        }
        return try await context.keeper.reserve(items, ttl: arguments.int("ttlSeconds").map { .seconds($0) }, by: context.principal)
    }

    @Sendable static func releaseReservation(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> Reservation {
        try await context.keeper.release(try ReservationID(parsing: try arguments.requiredString("id"), field: "id"), by: context.principal)
    }

    @Sendable static func commitReservation(_: RootValue, arguments: FieldArguments, context: InventoryContext) async throws -> Reservation {
        try await context.keeper.commit(try ReservationID(parsing: try arguments.requiredString("id"), field: "id"), by: context.principal)
    }

    // MARK: Arguments

    private static func productID(_ arguments: FieldArguments) throws -> ProductID {
        try ProductID(parsing: try arguments.requiredString("productId"), field: "productId")
    }

    private static func warehouseID(_ arguments: FieldArguments) throws -> WarehouseID? {
        try arguments.string("warehouseId").map { try WarehouseID(parsing: $0, field: "warehouseId") }
    }
}
