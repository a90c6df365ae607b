import Graphiti
import GraphQLSupport

/// The inventory subgraph: its executable schema (Graphiti) and its federation SDL (by hand; a
/// test proves the two agree).
public enum InventorySchema {
    public static func build(sdl: String = InventorySchema.sdl) throws -> Schema<InventoryResolver, InventoryContext> {
        let schema = try SchemaBuilder(InventoryResolver.self, InventoryContext.self)
            .setFederatedSDL(to: sdl)
            .add {
                Scalar(GraphID.self, as: "ID")
                Scalar(DateTime.self, as: "DateTime")
                Enum(ReservationStatusValue.self, as: "ReservationStatus") {
                    Value(.HELD)
                    Value(.COMMITTED)
                    Value(.RELEASED)
                    Value(.EXPIRED)
                }

                Type(Warehouse.self) {
                    Field("id", at: \.graphID)
                    Field("code", at: \.code)
                    Field("name", at: \.name)
                    Field("isDefault", at: \.isDefault)
                }
                Type(WarehouseStock.self) {
                    Field("warehouse", at: \.warehouse)
                    Field("available", at: \.available)
                    Field("onHand", at: \.onHand)
                    Field("reserved", at: \.reserved)
                }
                Type(StockLevel.self) {
                    Field("productId", at: \.productGraphID)
                    Field("available", at: \.available)
                    Field("onHand", at: StockLevel.visibleOnHand)
                    Field("reserved", at: StockLevel.visibleReserved)
                    Field("lowStock", at: StockLevel.visibleLowStock)
                    Field("lowStockThreshold", at: StockLevel.visibleLowStockThreshold)
                    Field("warehouses", at: StockLevel.visibleWarehouses)
                }
                Type(ProductReference.self, as: "Product") {
                    Field("id", at: \.graphID)
                    Field("stock", at: ProductReference.stock)
                    Field("inStock", at: ProductReference.inStock)
                }.key(at: InventoryResolver.productEntity) {
                    Argument("id", at: \.id)
                }
                Type(ReservationLine.self) {
                    Field("productId", at: \.productGraphID)
                    Field("warehouseId", at: \.warehouseGraphID)
                    Field("quantity", at: \.quantity)
                }
                Type(Reservation.self) {
                    Field("id", at: \.graphID)
                    Field("status", at: \.statusValue)
                    Field("lines", at: \.lines)
                    Field("createdAt", at: \.createdAtValue)
                    Field("expiresAt", at: \.expiresAtValue)
                    Field("settledAt", at: \.settledAtValue)
                }

                Input(ReservationLineInput.self) {
                    InputField("productId", at: \.productId)
                    InputField("quantity", at: \.quantity)
                }
            }
            .addQuery {
                Field("warehouses", at: InventoryResolver.warehouses)
                Field("stock", at: InventoryResolver.stock) { Argument("productId", at: \.productId) }
            }
            .addMutation {
                Field("receiveStock", at: InventoryResolver.receiveStock) {
                    Argument("productId", at: \.productId)
                    Argument("warehouseId", at: \.warehouseId)
                    Argument("quantity", at: \.quantity)
                }
                Field("adjustStock", at: InventoryResolver.adjustStock) {
                    Argument("productId", at: \.productId)
                    Argument("warehouseId", at: \.warehouseId)
                    Argument("delta", at: \.delta)
                    Argument("reason", at: \.reason)
                }
                Field("setLowStockThreshold", at: InventoryResolver.setLowStockThreshold) {
                    Argument("productId", at: \.productId)
                    Argument("threshold", at: \.threshold)
                }
                Field("createWarehouse", at: InventoryResolver.createWarehouse) {
                    Argument("code", at: \.code)
                    Argument("name", at: \.name)
                }
                Field("reserveStock", at: InventoryResolver.reserveStock) {
                    Argument("lines", at: \.lines)
                    Argument("ttlSeconds", at: \.ttlSeconds)
                }
                Field("releaseReservation", at: InventoryResolver.releaseReservation) { Argument("id", at: \.id) }
                Field("commitReservation", at: InventoryResolver.commitReservation) { Argument("id", at: \.id) }
            }
            .build()
        try EntityBatches<InventoryContext>(["Product": InventoryResolver.productEntities]).install(in: schema)
        return schema
    }
}
