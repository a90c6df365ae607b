import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// ``ReservationStore`` on PostgreSQL (schema `inventory`).
///
/// Overselling is impossible by construction: a reservation reads availability only under the
/// locks of the rows it then updates, and the CHECK constraints would refuse the update anyway.
public struct PostgresReservationStore: ReservationStore {
    let client: PostgresClient
    let logger: Logger
    /// Recorded as the actor of expiry movements.
    static let expiryActor = "inventory.expiry"

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func reserve(_ request: ReservationRequest) async throws -> Reservation {
        let logger = logger
        do {
            return try await client.transaction(logger: logger) { connection in
                try await ReservationSQL.reserve(request, on: connection, logger: logger)
            }
        } catch {
            throw StockStoreErrors.translate(error)
        }
    }

    public func reservation(id: ReservationID) async throws -> Reservation? {
        let logger = logger
        return try await client.withConnection { connection in
            try await ReservationSQL.read(id, on: connection, logger: logger)
        }
    }

    public func release(id: ReservationID, actor: String?, at: Date) async throws -> Reservation {
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            guard let reservation = try await ReservationSQL.lock(id, on: connection, logger: logger) else {
                throw InventoryErrors.unknownReservation(id)
            }
            switch reservation.status {
            case .released, .expired:
                return reservation
            case .committed:
                throw EmporiumError(.conflict, "reservation \(id) was committed; its units have shipped and cannot be released")
            case .held:
                return try await ReservationSQL.settle([reservation], as: .released, actor: actor, at: at, on: connection, logger: logger)[0]
            }
        }
    }

    public func commit(id: ReservationID, actor: String?, at: Date) async throws -> Reservation {
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            guard let reservation = try await ReservationSQL.lock(id, on: connection, logger: logger) else {
                throw InventoryErrors.unknownReservation(id)
            }
            switch reservation.status {
            case .committed:
                return reservation
            case .released, .expired:
                throw EmporiumError(.conflict, "reservation \(id) was \(reservation.status.rawValue); its units are back in stock, reserve again")
            case .held:
                // Past the deadline the units belong to the expiry loop, which may be about to
                // return them: committing now would race it.
                guard reservation.expiresAt > at else {
                    throw EmporiumError(.conflict, "reservation \(id) expired at \(reservation.expiresAt.formatted(.iso8601)); reserve again")
                }
                return try await ReservationSQL.settle([reservation], as: .committed, actor: actor, at: at, on: connection, logger: logger)[0]
            }
        }
    }

    public func releaseExpired(asOf now: Date, limit: Int) async throws -> [ReservationID] {
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            let due = try await ReservationSQL.lockExpired(asOf: now, limit: limit, on: connection, logger: logger)
            return try await ReservationSQL.settle(due, as: .expired, actor: Self.expiryActor, at: now, on: connection, logger: logger).map(\.id)
        }
    }
}
