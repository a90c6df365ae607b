import EmporiumCore
import Foundation
import Identity

/// The inventory's use cases: validation, permissions, and the calls into the stores.
///
/// Reads are public (a shop page shows whether a product is in stock). Sellers change the stock
/// of their own products; admins change anything and manage warehouses. Reservations are the
/// Swift API the orders service calls (trusted, no principal); GraphQL exposes them to admins.
public struct StockKeeper: Sendable {
    public let stock: any StockStore
    public let reservations: any ReservationStore
    public let clock: any TimeSource
    /// How long a reservation holds its units when the caller names no time to live.
    public let reservationTTL: Duration

    public init(stock: any StockStore, reservations: any ReservationStore, clock: any TimeSource = SystemTimeSource(), reservationTTL: Duration = .seconds(15 * 60)) {
        self.stock = stock
        self.reservations = reservations
        self.clock = clock
        self.reservationTTL = reservationTTL
    }

    // MARK: Reads

    /// Zero stock for a product inventory does not know, rather than an error.
    public func stockLevel(productID: ProductID) async throws -> StockLevel {
        try await stockLevels(productIDs: [productID])[productID] ?? .empty(productID)
    }

    /// One query for all ids; every id gets a level (unknown ones zero).
    public func stockLevels(productIDs: [ProductID]) async throws -> [ProductID: StockLevel] {
        let found = try await stock.stockLevels(productIDs: productIDs)
        return Dictionary(productIDs.map { ($0, found[$0] ?? .empty($0)) }, uniquingKeysWith: { first, _ in first })
    }

    public func warehouses() async throws -> [Warehouse] {
        try await stock.warehouses()
    }

    // MARK: Stock commands

    public func receiveStock(productID: ProductID, warehouseID: WarehouseID?, quantity: Int, by principal: Principal?) async throws -> StockLevel {
        let caller = try await requireOwner(of: productID, principal)
        return try await stock.apply(StockMovement(
            productID: productID, warehouseID: warehouseID ?? Warehouse.defaultID, onHandDelta: try StockRules.quantity(quantity),
            reservedDelta: 0, reason: .received, actor: caller.userID.rawValue
        ), at: clock.now(), owner: Self.ownerToCheck(caller))
    }

    /// Corrects on-hand units (count differences, damage, returns). Refused when it would leave
    /// fewer units on hand than are reserved: reserved units are promised to orders.
    public func adjustStock(productID: ProductID, warehouseID: WarehouseID?, delta: Int, reason: String, by principal: Principal?) async throws -> StockLevel {
        let delta = try StockRules.delta(delta)
        let reason = try StockRules.reason(reason)
        let caller = try await requireOwner(of: productID, principal)
        return try await stock.apply(StockMovement(
            productID: productID, warehouseID: warehouseID ?? Warehouse.defaultID, onHandDelta: delta, reservedDelta: 0,
            reason: .adjusted, note: reason, actor: caller.userID.rawValue
        ), at: clock.now(), owner: Self.ownerToCheck(caller))
    }

    public func setLowStockThreshold(productID: ProductID, threshold: Int, by principal: Principal?) async throws -> StockLevel {
        let threshold = try StockRules.threshold(threshold)
        _ = try await requireOwner(of: productID, principal)
        return try await stock.setLowStockThreshold(threshold, productID: productID)
    }

    public func createWarehouse(code: String, name: String, by principal: Principal?) async throws -> Warehouse {
        _ = try Permissions.require(principal, anyOf: [.admin])
        let warehouse = Warehouse(id: WarehouseID(), code: try StockRules.warehouseCode(code), name: try StockRules.warehouseName(name))
        return try await stock.createWarehouse(warehouse)
    }

    // MARK: Reservations (trusted callers)

    /// Reserves every item or none. `ttl` defaults to ``reservationTTL``.
    public func reserve(_ items: [ReservationItem], ttl: Duration? = nil, actor: String? = nil, correlationID: String? = nil) async throws -> Reservation {
        let items = try StockRules.reservationItems(items)
        let ttl = try StockRules.ttl(ttl ?? reservationTTL)
        let now = Self.millisecondPrecision(clock.now())
        return try await reservations.reserve(ReservationRequest(
            id: ReservationID(), items: items, createdAt: now, expiresAt: now.addingTimeInterval(ttl.timeInterval),
            actor: actor, correlationID: correlationID
        ))
    }

    public func release(_ id: ReservationID, actor: String? = nil) async throws -> Reservation {
        try await reservations.release(id: id, actor: actor, at: clock.now())
    }

    public func commit(_ id: ReservationID, actor: String? = nil) async throws -> Reservation {
        try await reservations.commit(id: id, actor: actor, at: clock.now())
    }

    public func reservation(id: ReservationID) async throws -> Reservation {
        guard let reservation = try await reservations.reservation(id: id) else { throw InventoryErrors.unknownReservation(id) }
        return reservation
    }

    // MARK: Reservations (GraphQL, admins only)

    public func reserve(_ items: [ReservationItem], ttl: Duration?, by principal: Principal?) async throws -> Reservation {
        let caller = try Permissions.require(principal, anyOf: [.admin])
        return try await reserve(items, ttl: ttl, actor: caller.userID.rawValue)
    }

    public func release(_ id: ReservationID, by principal: Principal?) async throws -> Reservation {
        let caller = try Permissions.require(principal, anyOf: [.admin])
        return try await release(id, actor: caller.userID.rawValue)
    }

    public func commit(_ id: ReservationID, by principal: Principal?) async throws -> Reservation {
        let caller = try Permissions.require(principal, anyOf: [.admin])
        return try await commit(id, actor: caller.userID.rawValue)
    }

    // MARK: Helpers

    /// Sellers act on their own products only; the owner comes from inventory's copy of the
    /// catalog's product, so no call to the catalog is needed.
    private func requireOwner(of productID: ProductID, _ principal: Principal?) async throws -> Principal {
        let caller = try Permissions.require(principal, anyOf: [.seller])
        guard let product = try await stock.products(ids: [productID])[productID] else {
            throw InventoryErrors.unknownProduct(productID)
        }
        return try Permissions.requireOwner(caller, owner: product.sellerID, what: "products' stock")
    }

    /// Sellers are checked again under the product's row lock; admins act on any product.
    static func ownerToCheck(_ caller: Principal) -> UserID? {
        caller.isAdmin ? nil : caller.userID
    }

    /// Reservation times are kept to the millisecond so that they survive the round trip through
    /// the database exactly.
    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
