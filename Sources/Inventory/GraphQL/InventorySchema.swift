import GraphQLExecution
import GraphQLSupport

/// The inventory subgraph: its SDL (``sdl``) and the resolvers of every field, executed by our
/// engine. A product's stock is a batch resolver: the stock of every product of an answer comes
/// from one query.
public enum InventorySchema {
    public static func build(sdl: String = InventorySchema.sdl) throws -> ExecutableSchema<InventoryContext> {
        var resolvers = SchemaResolvers<InventoryContext>()
        resolvers.object("Warehouse", Warehouse.self) { type in
            type.field("id") { $0.graphID }
            type.field("code") { $0.code }
            type.field("name") { $0.name }
            type.field("isDefault") { $0.isDefault }
        }
        resolvers.object("WarehouseStock", WarehouseStock.self) { type in
            type.field("warehouse") { $0.warehouse }
            type.field("available") { $0.available }
            type.field("onHand") { $0.onHand }
            type.field("reserved") { $0.reserved }
        }
        resolvers.object("StockLevel", StockLevel.self) { type in
            type.field("productId") { $0.productGraphID }
            type.field("available") { $0.available }
            type.field("onHand", resolve: StockLevel.visibleOnHand)
            type.field("reserved", resolve: StockLevel.visibleReserved)
            type.field("lowStock", resolve: StockLevel.visibleLowStock)
            type.field("lowStockThreshold", resolve: StockLevel.visibleLowStockThreshold)
            type.field("warehouses", resolve: StockLevel.visibleWarehouses)
        }
        resolvers.object("Product", ProductReference.self) { type in
            type.field("id") { $0.graphID }
            type.field("stock", batch: ProductReference.stocks)
            type.field("inStock", batch: ProductReference.inStock)
        }
        resolvers.object("ReservationLine", ReservationLine.self) { type in
            type.field("productId") { $0.productGraphID }
            type.field("warehouseId") { $0.warehouseGraphID }
            type.field("quantity") { $0.quantity }
        }
        resolvers.object("Reservation", Reservation.self) { type in
            type.field("id") { $0.graphID }
            type.field("status") { $0.statusValue }
            type.field("lines") { $0.lines }
            type.field("createdAt") { $0.createdAtValue }
            type.field("expiresAt") { $0.expiresAtValue }
            type.field("settledAt") { $0.settledAtValue }
        }
        resolvers.query { query in
            query.field("warehouses", async: InventoryResolver.warehouses)
            query.field("stock", async: InventoryResolver.stock)
        }
        resolvers.mutation { mutation in
            mutation.field("receiveStock", async: InventoryResolver.receiveStock)
            mutation.field("adjustStock", async: InventoryResolver.adjustStock)
            mutation.field("setLowStockThreshold", async: InventoryResolver.setLowStockThreshold)
            mutation.field("createWarehouse", async: InventoryResolver.createWarehouse)
            mutation.field("reserveStock", async: InventoryResolver.reserveStock)
            mutation.field("releaseReservation", async: InventoryResolver.releaseReservation)
            mutation.field("commitReservation", async: InventoryResolver.commitReservation)
        }
        let federation = Federation<InventoryContext>(entities: ["Product": InventoryResolver.productEntities])
        return try ExecutableSchema(sdl: sdl, federation: federation, resolvers: resolvers)
    }
}
