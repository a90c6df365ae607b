import Contracts
import Database
import EmporiumCore
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Inventory's part of the order saga: an order's reservation is made when it is placed,
/// committed when it is paid, and released (or its units restocked) when it is cancelled.
///
/// The reservation's id is the order's id, so every step finds it without a lookup table and a
/// repeated step finds its own earlier work. Each step runs in the event's inbox transaction, and
/// the answer to Orders goes through the outbox in that same transaction.
enum OrderReservations {
    static let outbox = Outbox(schema: "inventory")
    static let actor = "orders"
    /// Orders settles its reservations (paid: commit; cancelled or unpaid in time: release), so
    /// the deadline only bounds a reservation an order somehow never settles: a year out, never
    /// inventory's 15-minute default.
    static let deadline: TimeInterval = 365 * 24 * 3600

    static func register(in handlers: inout EventHandlers) {
        handlers.on(OrderPlaced.self) { event, context in
            try await reserve(event, context: context)
        }
        // Only order-wide payment and cancellation move units (a seller's part shipping does not).
        handlers.on(OrderStatusChanged.self, when: { $0.sellerOrderId == nil && ($0.to == "PAID" || $0.to == "CANCELLED") }) { event, context in
            switch event.to {
            case "PAID": try await commit(orderID: event.orderId, context: context)
            case "CANCELLED": try await cancel(orderID: event.orderId, context: context)
            default: return
            }
        }
        handlers.on(ReturnApproved.self) { event, context in
            try await restockReturn(event, context: context)
        }
    }

    /// Returned units go back on hand in the default warehouse (where returns are received).
    static func restockReturn(_ event: ReturnApproved, context: EventContext) async throws {
        var units: [ProductID: Int] = [:]
        for line in event.lines {
            guard let product = try? ProductID(parsing: line.productId), (1...StockRules.maximumQuantity).contains(line.quantity) else { continue }
            units[product, default: 0] += line.quantity
        }
        let ids = units.keys.sorted()
        let products = try await StockSQL.lockProducts(ids, on: context.connection, logger: context.logger)
        let known = ids.filter { products[$0] != nil }
        for id in ids where products[id] == nil {
            context.logger.warning("returned product unknown to inventory; not restocked", metadata: ["product.id": "\(id)", "return.id": "\(event.returnId)"])
        }
        guard !known.isEmpty else { return }
        for id in known { _ = try await StockSQL.ensureStockRow(id, Warehouse.defaultID, on: context.connection, logger: context.logger) }
        let stock = try await StockSQL.lockStock(known, on: context.connection, logger: context.logger)
        let movements = known.map {
            StockMovement(
                productID: $0, warehouseID: Warehouse.defaultID, onHandDelta: units[$0]!, reservedDelta: 0, reason: .restocked,
                note: "return \(event.returnId)", actor: actor)
        }
        let now = Date()
        try await StockSQL.apply(movements, at: now, on: context.connection, logger: context.logger)
        try await StockSQL.publish(movements, products: products, before: stock, at: now, correlationID: event.orderId, on: context.connection, logger: context.logger)
    }

    static func reserve(_ event: OrderPlaced, context: EventContext) async throws {
        let logger = context.logger
        func answer(_ failure: StockReservationFailed) async throws {
            logger.info("order not reserved", metadata: ["order.id": "\(event.orderId)", "reason": "\(failure.reason)"])
            try await outbox.append([EventEnvelope(failure, correlationID: event.orderId)], on: context.connection, logger: logger)
        }
        guard let orderUUID = UUID(uuidString: event.orderId) else {
            return try await answer(StockReservationFailed(orderId: event.orderId, reason: "INVALID_ORDER"))
        }
        let id = ReservationID(uuid: orderUUID)
        if try await ReservationSQL.read(id, on: context.connection, logger: logger) != nil {
            // Placed again (a replay past the inbox's retention): answer as the first time did.
            return try await outbox.append([EventEnvelope(StockReserved(orderId: event.orderId, reservationId: id.description), correlationID: event.orderId)], on: context.connection, logger: logger)
        }
        var items: [ReservationItem] = []
        for line in event.lines {
            guard let product = try? ProductID(parsing: line.productId) else {
                return try await answer(StockReservationFailed(orderId: event.orderId, reason: "INVALID_ORDER", productId: line.productId))
            }
            items.append(ReservationItem(productID: product, quantity: line.quantity))
        }
        let request: ReservationRequest
        do {
            let now = StockKeeper.millisecondPrecision(Date())
            request = ReservationRequest(
                id: id, items: try StockRules.reservationItems(items), createdAt: now, expiresAt: now.addingTimeInterval(deadline),
                actor: actor, correlationID: event.orderId)
        } catch {
            return try await answer(StockReservationFailed(orderId: event.orderId, reason: "INVALID_ORDER"))
        }
        // Products inventory has never heard of cannot be reserved (their stock is zero).
        let known = try await StockSQL.lockProducts(request.items.map(\.productID), on: context.connection, logger: logger)
        if let unknown = request.items.first(where: { known[$0.productID] == nil }) {
            return try await answer(StockReservationFailed(orderId: event.orderId, reason: "PRODUCT_UNAVAILABLE", productId: unknown.productID.description))
        }
        switch try await ReservationSQL.attempt(request, on: context.connection, logger: logger) {
        case .success:
            break
        case .failure(.inactive(let product)):
            return try await answer(StockReservationFailed(orderId: event.orderId, reason: "PRODUCT_UNAVAILABLE", productId: product.description))
        case .failure(.insufficient(let product, let requested, let available)):
            return try await answer(StockReservationFailed(
                orderId: event.orderId, reason: "INSUFFICIENT_STOCK", productId: product.description, requested: requested, available: available))
        }
        try await outbox.append([EventEnvelope(StockReserved(orderId: event.orderId, reservationId: id.description), correlationID: event.orderId)], on: context.connection, logger: logger)
    }

    static func commit(orderID: String, context: EventContext) async throws {
        guard let reservation = try await lock(orderID, context) else { return }
        switch reservation.status {
        case .held:
            _ = try await ReservationSQL.settle([reservation], as: .committed, actor: actor, at: Date(), on: context.connection, logger: context.logger)
        case .committed:
            return
        case .released, .expired:
            // Orders pays only what inventory reserved; a released reservation here means the
            // two disagree, which an operator must see (the event is parked after its retries).
            throw EmporiumError(.conflict, "order \(orderID) was paid but its reservation is \(reservation.status.rawValue)")
        }
    }

    static func cancel(orderID: String, context: EventContext) async throws {
        guard let reservation = try await lock(orderID, context) else { return }
        switch reservation.status {
        case .held:
            _ = try await ReservationSQL.settle([reservation], as: .released, actor: actor, at: Date(), on: context.connection, logger: context.logger)
        case .committed:
            // Paid, then cancelled before shipping: the units come back once.
            let marked = try await context.connection.query("""
                UPDATE inventory.reservations SET restocked_at = now() WHERE id = \(reservation.id.uuid) AND restocked_at IS NULL RETURNING id
                """, logger: context.logger).collectAll()
            if !marked.isEmpty {
                try await ReservationSQL.restock(reservation, actor: actor, at: Date(), on: context.connection, logger: context.logger)
            }
        case .released, .expired:
            return
        }
    }

    private static func lock(_ orderID: String, _ context: EventContext) async throws -> Reservation? {
        guard let uuid = UUID(uuidString: orderID) else { return nil }
        return try await ReservationSQL.lock(ReservationID(uuid: uuid), on: context.connection, logger: context.logger)
    }
}
