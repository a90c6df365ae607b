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
                // Items arrive sorted by product id; both lock statements order by it too.
                let ids = request.items.map(\.productID)
                let products = try await StockSQL.lockProducts(ids, on: connection, logger: logger)
                for id in ids where products[id]?.isActive == false {
                    throw InventoryErrors.inactiveProduct(id, action: "reserved")
                }
                let stock = try await StockSQL.lockStock(ids, on: connection, logger: logger)
                var lines: [ReservationLine] = []
                for item in request.items {
                    let rows = stock[item.productID] ?? []
                    let candidates = rows.map { Allocation.Candidate(warehouseID: $0.warehouse.id, available: $0.available) }
                    guard let picks = Allocation.allocate(item.quantity, from: candidates) else {
                        throw InventoryErrors.insufficientStock(item.productID, requested: item.quantity, available: rows.totals.available)
                    }
                    lines += picks.map { ReservationLine(productID: item.productID, warehouseID: $0.warehouseID, quantity: $0.quantity) }
                }
                lines.sort { ($0.productID, $0.warehouseID) < ($1.productID, $1.warehouseID) }
                let reservation = Reservation(
                    id: request.id, status: .held, lines: lines, createdAt: request.createdAt, expiresAt: request.expiresAt, settledAt: nil
                )
                try await ReservationSQL.insert(reservation, actor: request.actor, on: connection, logger: logger)
                let movements = lines.map {
                    StockMovement(
                        productID: $0.productID, warehouseID: $0.warehouseID, onHandDelta: 0, reservedDelta: $0.quantity,
                        reason: .reserved, actor: request.actor, reservationID: request.id
                    )
                }
                try await StockSQL.apply(movements, at: request.createdAt, on: connection, logger: logger)
                try await StockSQL.publish(movements, products: products, before: stock, at: request.createdAt, correlationID: request.correlationID, on: connection, logger: logger)
                return reservation
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
