import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// Reservation rows and the settlement every ending shares (commit, release, expiry).
enum ReservationSQL {
    static let columns = "id, status, created_at, expires_at, settled_at"
    typealias Columns = (UUID, String, Date, Date, Date?)

    static func lock(_ id: ReservationID, on connection: PostgresConnection, logger: Logger) async throws -> Reservation? {
        let rows = try await connection.query(
            "SELECT id, status, created_at, expires_at, settled_at FROM inventory.reservations WHERE id = \(id.uuid) FOR UPDATE",
            logger: logger
        ).decode(Columns.self).collectAll()
        return try await reservations(rows, on: connection, logger: logger).first
    }

    static func read(_ id: ReservationID, on connection: PostgresConnection, logger: Logger) async throws -> Reservation? {
        let rows = try await connection.query(
            "SELECT id, status, created_at, expires_at, settled_at FROM inventory.reservations WHERE id = \(id.uuid)", logger: logger
        ).decode(Columns.self).collectAll()
        return try await reservations(rows, on: connection, logger: logger).first
    }

    /// Held reservations due by `now`, oldest deadline first, locked; rows another transaction
    /// holds (a commit in progress, another expiry process) are skipped, not waited for.
    static func lockExpired(asOf now: Date, limit: Int, on connection: PostgresConnection, logger: Logger) async throws -> [Reservation] {
        let rows = try await connection.query("""
            SELECT id, status, created_at, expires_at, settled_at FROM inventory.reservations
            WHERE status = 'held' AND expires_at <= \(now)
            ORDER BY expires_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED
            """, logger: logger).decode(Columns.self).collectAll()
        return try await reservations(rows, on: connection, logger: logger)
    }

    /// Why a reservation was refused; nothing was written.
    enum Refusal: Error {
        case inactive(ProductID)
        case insufficient(ProductID, requested: Int, available: Int)

        var error: EmporiumError {
            switch self {
            case .inactive(let id): InventoryErrors.inactiveProduct(id, action: "reserved")
            case .insufficient(let id, let requested, let available): InventoryErrors.insufficientStock(id, requested: requested, available: available)
            }
        }
    }

    /// Holds every item of `request` or none, in the caller's transaction; throws the domain error
    /// of a refusal.
    static func reserve(_ request: ReservationRequest, on connection: PostgresConnection, logger: Logger) async throws -> Reservation {
        switch try await attempt(request, on: connection, logger: logger) {
        case .success(let reservation): return reservation
        case .failure(let refusal): throw refusal.error
        }
    }

    /// Holds every item of `request` or none. Every check runs before the first write, so a
    /// refusal leaves the transaction clean for the caller to carry on in (the order saga answers
    /// it with an event).
    static func attempt(_ request: ReservationRequest, on connection: PostgresConnection, logger: Logger) async throws -> Result<Reservation, Refusal> {
        // Items arrive sorted by product id; both lock statements order by it too.
        let ids = request.items.map(\.productID)
        let products = try await StockSQL.lockProducts(ids, on: connection, logger: logger)
        if let inactive = ids.first(where: { products[$0]?.isActive == false }) {
            return .failure(.inactive(inactive))
        }
        let stock = try await StockSQL.lockStock(ids, on: connection, logger: logger)
        var lines: [ReservationLine] = []
        for item in request.items {
            let rows = stock[item.productID] ?? []
            let candidates = rows.map { Allocation.Candidate(warehouseID: $0.warehouse.id, available: $0.available) }
            guard let picks = Allocation.allocate(item.quantity, from: candidates) else {
                return .failure(.insufficient(item.productID, requested: item.quantity, available: rows.totals.available))
            }
            lines += picks.map { ReservationLine(productID: item.productID, warehouseID: $0.warehouseID, quantity: $0.quantity) }
        }
        lines.sort { ($0.productID, $0.warehouseID) < ($1.productID, $1.warehouseID) }
        let reservation = Reservation(id: request.id, status: .held, lines: lines, createdAt: request.createdAt, expiresAt: request.expiresAt, settledAt: nil)
        try await insert(reservation, actor: request.actor, on: connection, logger: logger)
        let movements = lines.map {
            StockMovement(
                productID: $0.productID, warehouseID: $0.warehouseID, onHandDelta: 0, reservedDelta: $0.quantity,
                reason: .reserved, actor: request.actor, reservationID: request.id
            )
        }
        try await StockSQL.apply(movements, at: request.createdAt, on: connection, logger: logger)
        try await StockSQL.publish(movements, products: products, before: stock, at: request.createdAt, correlationID: request.correlationID, on: connection, logger: logger)
        return .success(reservation)
    }

    /// Puts the units of a committed reservation back on hand (an order cancelled after payment),
    /// in the warehouses they left from.
    static func restock(_ reservation: Reservation, actor: String?, at: Date, on connection: PostgresConnection, logger: Logger) async throws {
        let movements = reservation.lines.map {
            StockMovement(
                productID: $0.productID, warehouseID: $0.warehouseID, onHandDelta: $0.quantity, reservedDelta: 0,
                reason: .restocked, actor: actor, reservationID: reservation.id)
        }
        let products = Set(movements.map(\.productID)).sorted()
        let productRows = try await StockSQL.lockProducts(products, on: connection, logger: logger)
        let stock = try await StockSQL.lockStock(products, on: connection, logger: logger)
        try await StockSQL.apply(movements, at: at, on: connection, logger: logger)
        try await StockSQL.publish(movements, products: productRows, before: stock, at: at, correlationID: nil, on: connection, logger: logger)
    }

    static func insert(_ reservation: Reservation, actor: String?, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO inventory.reservations (id, status, actor, created_at, expires_at)
            VALUES (\(reservation.id.uuid), \(reservation.status.rawValue), \(actor), \(reservation.createdAt), \(reservation.expiresAt))
            """, logger: logger)
        let lines = reservation.lines
        try await connection.query("""
            INSERT INTO inventory.reservation_lines (reservation_id, product_id, warehouse_id, quantity)
            SELECT \(reservation.id.uuid), v.product_id, v.warehouse_id, v.quantity
            FROM unnest(\(lines.map(\.productID.uuid))::uuid[], \(lines.map(\.warehouseID.uuid))::uuid[], \(lines.map(\.quantity))::integer[])
                AS v(product_id, warehouse_id, quantity)
            """, logger: logger)
    }

    /// Ends held reservations: their reserved units go back (released, expired) or leave with
    /// the shipment (committed), with movements and events, in the caller's transaction.
    static func settle(
        _ reservations: [Reservation], as status: ReservationStatus, actor: String?, at: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [Reservation] {
        guard !reservations.isEmpty else { return [] }
        let reason: MovementReason = switch status {
        case .committed: .committed
        case .expired: .expired
        case .released, .held: .released
        }
        let movements = reservations.flatMap { reservation in
            reservation.lines.map { line in
                StockMovement(
                    productID: line.productID, warehouseID: line.warehouseID,
                    onHandDelta: status == .committed ? -line.quantity : 0, reservedDelta: -line.quantity,
                    reason: reason, actor: actor, reservationID: reservation.id
                )
            }
        }
        let products = Set(movements.map(\.productID)).sorted()
        let productRows = try await StockSQL.lockProducts(products, on: connection, logger: logger)
        let stock = try await StockSQL.lockStock(products, on: connection, logger: logger)
        try await StockSQL.apply(movements, at: at, on: connection, logger: logger)
        try await StockSQL.publish(movements, products: productRows, before: stock, at: at, correlationID: nil, on: connection, logger: logger)
        try await connection.query("""
            UPDATE inventory.reservations SET status = \(status.rawValue), settled_at = \(at)
            WHERE id = ANY(\(reservations.map(\.id.uuid)))
            """, logger: logger)
        return reservations.map {
            Reservation(id: $0.id, status: status, lines: $0.lines, createdAt: $0.createdAt, expiresAt: $0.expiresAt, settledAt: at)
        }
    }

    private static func reservations(_ rows: [Columns], on connection: PostgresConnection, logger: Logger) async throws -> [Reservation] {
        guard !rows.isEmpty else { return [] }
        let lineRows = try await connection.query("""
            SELECT reservation_id, product_id, warehouse_id, quantity FROM inventory.reservation_lines
            WHERE reservation_id = ANY(\(rows.map(\.0))) ORDER BY reservation_id, product_id, warehouse_id
            """, logger: logger).decode((UUID, UUID, UUID, Int).self).collectAll()
        var lines: [UUID: [ReservationLine]] = [:]
        for row in lineRows {
            lines[row.0, default: []].append(ReservationLine(productID: ProductID(uuid: row.1), warehouseID: WarehouseID(uuid: row.2), quantity: row.3))
        }
        return try rows.map { row in
            guard let status = ReservationStatus(rawValue: row.1) else {
                throw EmporiumError(.internalError, "stored reservation status '\(row.1)' is unknown")
            }
            return Reservation(id: ReservationID(uuid: row.0), status: status, lines: lines[row.0] ?? [], createdAt: row.2, expiresAt: row.3, settledAt: row.4)
        }
    }
}
