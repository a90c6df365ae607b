import EmporiumCore
import Foundation
import Graphiti
import GraphQLSupport

/// A catalog product as the inventory subgraph contributes to it: the key, and stock fields
/// resolved through the request's DataLoader (one query for all products of a response).
public struct ProductReference: Sendable {
    public let id: ProductID

    var graphID: GraphID { GraphID(id) }

    @Sendable func stock(context: InventoryContext, arguments: NoArguments) async throws -> StockLevel {
        context.responseTags.add(InventoryCacheTags.stock(id))
        return try await context.stockLevels.load(id) ?? .empty(id)
    }

    @Sendable func inStock(context: InventoryContext, arguments: NoArguments) async throws -> Bool {
        try await stock(context: context, arguments: arguments).isInStock
    }
}

extension StockLevel {
    var productGraphID: GraphID { GraphID(productID) }
}

extension Warehouse {
    var graphID: GraphID { GraphID(id) }
    var isDefault: Bool { id == Warehouse.defaultID }
}

/// GraphQL enum values are upper case by convention; the domain's are lower case.
public enum ReservationStatusValue: String, Codable, Sendable, CaseIterable {
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

extension Reservation {
    var graphID: GraphID { GraphID(id) }
    var statusValue: ReservationStatusValue { ReservationStatusValue(status) }
    var createdAtValue: DateTime { DateTime(createdAt) }
    var expiresAtValue: DateTime { DateTime(expiresAt) }
    var settledAtValue: DateTime? { settledAt.map(DateTime.init) }
}

extension ReservationLine {
    var productGraphID: GraphID { GraphID(productID) }
    var warehouseGraphID: GraphID { GraphID(warehouseID) }
}

// MARK: Inputs

public struct ReservationLineInput: Codable, Sendable {
    public let productId: GraphID
    public let quantity: Int
}
