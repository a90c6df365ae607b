import EmporiumCore
import Foundation
import Inventory

/// What `InventoryService` needs for reservations, which no scenario makes: there are none to
/// find or expire, and every command throws.
struct RefusingReservationStore: ReservationStore {
    func reserve(_ request: ReservationRequest) async throws -> Reservation { throw Self.refused }
    func reservation(id: ReservationID) async throws -> Reservation? { nil }
    func release(id: ReservationID, actor: String?, at: Date) async throws -> Reservation { throw Self.refused }
    func commit(id: ReservationID, actor: String?, at: Date) async throws -> Reservation { throw Self.refused }
    func releaseExpired(asOf now: Date, limit: Int) async throws -> [ReservationID] { [] }

    private static let refused = EmporiumError(.internalError, "the benchmark makes no reservations")
}
