import EmporiumCore
import Foundation
import GraphQLExecution
import GraphQLSupport

/// A catalog product as the inventory subgraph contributes to it: the key, and stock fields
/// resolved through the request's DataLoader (one query for all products of a response).
public struct ProductReference: Sendable, GraphQLObject {
    public let id: ProductID

    var graphID: GraphID { GraphID(id) }

    /// The stock of a level's products, in one query (zero for products inventory does not know).
    @Sendable static func stocks(_ products: [ProductReference], _: FieldArguments, context: InventoryContext) async throws -> [StockLevel] {
        let ids = products.map(\.id)
        for id in ids { context.responseTags.add(InventoryCacheTags.stock(id)) }
        let found = try await context.stockLevels.loadMany(ids)
        return ids.map { found[$0] ?? .empty($0) }
    }

    @Sendable static func inStock(_ products: [ProductReference], _ arguments: FieldArguments, context: InventoryContext) async throws -> [Bool] {
        try await stocks(products, arguments, context: context).map(\.isInStock)
    }
}

extension StockLevel: GraphQLObject {
    var productGraphID: GraphID { GraphID(productID) }
}

extension WarehouseStock: GraphQLObject {}

extension Warehouse: GraphQLObject {
    var graphID: GraphID { GraphID(id) }
    var isDefault: Bool { id == Warehouse.defaultID }
}

/// GraphQL enum values are upper case by convention; the domain's are lower case.
public enum ReservationStatusValue: String, Codable, Sendable, CaseIterable, GraphQLEnum {
    case HELD, COMMITTED, RELEASED, EXPIRED

    init(_ status: ReservationStatus) {
        switch status {
        case .held: self = .HELD
        case .committed: self = .COMMITTED
        case .released: self = .RELEASED
        case .expired: self = .EXPIRED
        }
    }
}

extension Reservation: GraphQLObject {
    var graphID: GraphID { GraphID(id) }
    var statusValue: ReservationStatusValue { ReservationStatusValue(status) }
    var createdAtValue: DateTime { DateTime(createdAt) }
    var expiresAtValue: DateTime { DateTime(expiresAt) }
    var settledAtValue: DateTime? { settledAt.map(DateTime.init) }
}

extension ReservationLine: GraphQLObject {
    var productGraphID: GraphID { GraphID(productID) }
    var warehouseGraphID: GraphID { GraphID(warehouseID) }
}

// MARK: Inputs

public struct ReservationLineInput: Codable, Sendable {
    public let productId: GraphID
    public let quantity: Int
}
