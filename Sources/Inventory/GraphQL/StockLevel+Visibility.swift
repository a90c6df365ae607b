import EmporiumCore
import GraphQLExecution
import Identity

/// On-hand, reserved, the low-stock threshold (and `lowStock`, which reveals it) and the
/// per-warehouse figures tell competitors a seller's sales and purchasing. Only the product's
/// seller and admins see them; everyone sees `available` and `inStock`.
///
/// The rule sits on the fields rather than on the root fields, so the `stock` query, the
/// `Product` entity (`_entities`) and the mutations' answers all follow it. The fields are
/// nullable and resolve to null for everyone else: refusing a non-null field with an error would
/// null the whole `Product.stock` of a shop page.
extension StockLevel {
    func showsFigures(to principal: Principal?) -> Bool {
        guard let principal else { return false }
        return principal.isAdmin || (sellerID != nil && principal.userID == sellerID)
    }

    @Sendable static func visibleOnHand(_ level: StockLevel, _: FieldArguments, context: InventoryContext) -> Int? {
        level.showsFigures(to: context.principal) ? level.onHand : nil
    }

    @Sendable static func visibleReserved(_ level: StockLevel, _: FieldArguments, context: InventoryContext) -> Int? {
        level.showsFigures(to: context.principal) ? level.reserved : nil
    }

    @Sendable static func visibleLowStock(_ level: StockLevel, _: FieldArguments, context: InventoryContext) -> Bool? {
        level.showsFigures(to: context.principal) ? level.isLowStock : nil
    }

    @Sendable static func visibleLowStockThreshold(_ level: StockLevel, _: FieldArguments, context: InventoryContext) -> Int? {
        level.showsFigures(to: context.principal) ? level.lowStockThreshold : nil
    }

    @Sendable static func visibleWarehouses(_ level: StockLevel, _: FieldArguments, context: InventoryContext) -> [WarehouseStock]? {
        level.showsFigures(to: context.principal) ? level.warehouses : nil
    }
}
