import EmporiumCore
import Graphiti
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

    @Sendable func visibleOnHand(context: InventoryContext, arguments: NoArguments) -> Int? {
        showsFigures(to: context.principal) ? onHand : nil
    }

    @Sendable func visibleReserved(context: InventoryContext, arguments: NoArguments) -> Int? {
        showsFigures(to: context.principal) ? reserved : nil
    }

    @Sendable func visibleLowStock(context: InventoryContext, arguments: NoArguments) -> Bool? {
        showsFigures(to: context.principal) ? isLowStock : nil
    }

    @Sendable func visibleLowStockThreshold(context: InventoryContext, arguments: NoArguments) -> Int? {
        showsFigures(to: context.principal) ? lowStockThreshold : nil
    }

    @Sendable func visibleWarehouses(context: InventoryContext, arguments: NoArguments) -> [WarehouseStock]? {
        showsFigures(to: context.principal) ? warehouses : nil
    }
}
