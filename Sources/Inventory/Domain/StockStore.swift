import EmporiumCore
import Foundation

/// Where stock lives. Every command is one transaction that changes the units, appends to the
/// movement log and writes the resulting events to the outbox, or does none of it.
///
/// Errors: `EmporiumError` — `.notFound` for an unknown product or warehouse, `.conflict` for an
/// archived product (received stock) or a taken warehouse code, `.badUserInput` when an
/// adjustment would make available units negative; anything else is a storage failure.
public protocol StockStore: Sendable {
    func warehouses() async throws -> [Warehouse]
    func createWarehouse(_ warehouse: Warehouse) async throws -> Warehouse

    /// Batched; ids inventory does not know are absent.
    func products(ids: [ProductID]) async throws -> [ProductID: StockedProduct]
    /// Batched (one query for any number of ids); unknown ids are absent.
    func stockLevels(productIDs: [ProductID]) async throws -> [ProductID: StockLevel]

    /// Applies a receipt or an adjustment and returns the product's stock after it. With
    /// `owner`, the product must (still) belong to that seller when its row is locked, else
    /// `FORBIDDEN`: a seller change arriving from the catalog meanwhile cannot be raced.
    func apply(_ movement: StockMovement, at: Date, owner: UserID?) async throws -> StockLevel
    func setLowStockThreshold(_ threshold: Int, productID: ProductID) async throws -> StockLevel
}

/// Where reservations live. Stock rows are locked in product-id order by every command, so
/// concurrent commands wait for each other instead of deadlocking, and none can oversell.
///
/// Errors: `.insufficientStock` when a product lacks units (nothing is reserved), `.conflict`
/// for an archived product or a transition the reservation cannot make (commit after release,
/// release after commit, commit after the deadline), `.notFound` for an unknown reservation.
public protocol ReservationStore: Sendable {
    func reserve(_ request: ReservationRequest) async throws -> Reservation
    func reservation(id: ReservationID) async throws -> Reservation?
    /// Returns the units; releasing a released or expired reservation returns it unchanged.
    func release(id: ReservationID, actor: String?, at: Date) async throws -> Reservation
    /// Ships the units; committing a committed reservation returns it unchanged.
    func commit(id: ReservationID, actor: String?, at: Date) async throws -> Reservation
    /// Releases up to `limit` held reservations whose deadline is at or before `now`, skipping
    /// any another transaction holds; returns their ids.
    func releaseExpired(asOf now: Date, limit: Int) async throws -> [ReservationID]
}
