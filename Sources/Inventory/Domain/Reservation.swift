import EmporiumCore
import Foundation

/// held → committed (shipped) | released (cancelled) | expired (not committed in time).
public enum ReservationStatus: String, Sendable, CaseIterable {
    case held, committed, released, expired

    /// Whether the reservation's units are back in stock or gone; nothing more can happen to it.
    public var isSettled: Bool { self != .held }
}

/// Units of one product held in one warehouse.
public struct ReservationLine: Sendable, Equatable {
    public let productID: ProductID
    public let warehouseID: WarehouseID
    public let quantity: Int

    public init(productID: ProductID, warehouseID: WarehouseID, quantity: Int) {
        self.productID = productID
        self.warehouseID = warehouseID
        self.quantity = quantity
    }
}

/// Units held for an order until it is committed, released, or the deadline passes.
public struct Reservation: Sendable, Equatable {
    public let id: ReservationID
    public let status: ReservationStatus
    /// Sorted by product, then warehouse; a product split across warehouses has several lines.
    public let lines: [ReservationLine]
    public let createdAt: Date
    public let expiresAt: Date
    public let settledAt: Date?

    public init(id: ReservationID, status: ReservationStatus, lines: [ReservationLine], createdAt: Date, expiresAt: Date, settledAt: Date?) {
        self.id = id
        self.status = status
        self.lines = lines
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.settledAt = settledAt
    }
}

/// What a caller asks to reserve: a quantity of a product, from whichever warehouses have it.
public struct ReservationItem: Sendable, Equatable {
    public let productID: ProductID
    public let quantity: Int

    public init(productID: ProductID, quantity: Int) {
        self.productID = productID
        self.quantity = quantity
    }
}

/// A validated reservation command for the store: items merged per product and sorted by
/// product id (the order in which stock is locked).
public struct ReservationRequest: Sendable, Equatable {
    public let id: ReservationID
    public let items: [ReservationItem]
    public let createdAt: Date
    public let expiresAt: Date
    public let actor: String?
    public let correlationID: String?

    public init(id: ReservationID, items: [ReservationItem], createdAt: Date, expiresAt: Date, actor: String?, correlationID: String? = nil) {
        self.id = id
        self.items = items
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.actor = actor
        self.correlationID = correlationID
    }
}
