import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// Reading and writing orders on the caller's connection (inside its transaction).
enum OrderSQL {
    private static let orderColumns = """
        o.id, o.buyer_id, o.status, o.currency, o.total_amount, o.shipping_address::text, o.reason, o.payment_id, o.payment_url,
        o.payment_deadline, o.paid_at, o.refund_id, o.refunded_at, o.created_at, o.updated_at
        """

    /// The order, its row locked for the caller's transaction.
    static func lock(_ id: OrderID, on connection: PostgresConnection, logger: Logger) async throws -> Order? {
        try await read(try await connection.run(OrderLocked.self, try binds(id.uuid), logger: logger)).first
    }

    static func orders(ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [Order] {
        guard !ids.isEmpty else { return [] }
        let orders = try await read(try await connection.run(OrderByID.self, or: OrdersByID.self, ids: ids, logger: logger))
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        return orders.sorted { position[$0.id.uuid, default: 0] < position[$1.id.uuid, default: 0] }
    }

    static func order(buyer: UserID, idempotencyKey: String, on connection: PostgresConnection, logger: Logger) async throws -> (Order, String)? {
        let rows = try await connection.query(
            "SELECT id, cart_fingerprint FROM orders.orders WHERE buyer_id = \(buyer.rawValue) AND idempotency_key = \(idempotencyKey)", logger: logger
        ).decode((UUID, String).self).collectAll()
        guard let row = rows.first, let order = try await orders(ids: [row.0], on: connection, logger: logger).first else { return nil }
        return (order, row.1)
    }

    /// Ids of a page, newest first, after the keyset (created_at, id) of `after`.
    static func page(
        buyer: UserID?, seller: UserID?, sellerStatus: SellerOrderStatus?, after: (Date, UUID)?, limit: Int,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [(UUID, Date)] {
        var query = PostgresQuery(unsafeSQL: "")
        var bindings = PostgresBindings()
        var conditions: [String] = []
        let table: String
        if let seller {
            table = "orders.seller_orders"
            bindings.append(seller.rawValue)
            conditions.append("seller_id = $\(bindings.count)")
            if let sellerStatus {
                bindings.append(sellerStatus.rawValue)
                conditions.append("status = $\(bindings.count)")
            }
        } else {
            table = "orders.orders"
            if let buyer {
                bindings.append(buyer.rawValue)
                conditions.append("buyer_id = $\(bindings.count)")
            }
        }
        if let after {
            bindings.append(after.0)
            bindings.append(after.1)
            conditions.append("(created_at, id) < ($\(bindings.count - 1), $\(bindings.count))")
        }
        bindings.append(limit)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        query = PostgresQuery(unsafeSQL: "SELECT id, created_at FROM \(table) \(filter) ORDER BY created_at DESC, id DESC LIMIT $\(bindings.count)", binds: bindings)
        return try await connection.query(query, logger: logger).decode((UUID, Date).self).collectAll()
    }

    static func sellerOrders(ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [SellerOrder] {
        guard !ids.isEmpty else { return [] }
        let orderIDs = try await connection.query("SELECT DISTINCT order_id FROM orders.seller_orders WHERE id = ANY(\(ids))", logger: logger)
            .decode(UUID.self).collectAll()
        let parts = try await orders(ids: orderIDs, on: connection, logger: logger).flatMap(\.sellerOrders)
        let byID = Dictionary(uniqueKeysWithValues: parts.map { ($0.id.uuid, $0) })
        return ids.compactMap { byID[$0] }
    }

    static func history(_ id: OrderID, on connection: PostgresConnection, logger: Logger) async throws -> [OrderStatusChange] {
        try await connection.query("""
            SELECT seller_order_id, from_status, to_status, reason, at FROM orders.order_history WHERE order_id = \(id.uuid) ORDER BY id
            """, logger: logger).decode((UUID?, String?, String, String?, Date).self).collectAll().map {
            OrderStatusChange(sellerOrderID: $0.0.map(SellerOrderID.init(uuid:)), from: $0.1, to: $0.2, reason: $0.3, at: $0.4)
        }
    }

    // MARK: Writing

    static func insert(_ order: Order, idempotencyKey: String, fingerprint: String, on connection: PostgresConnection, logger: Logger) async throws {
        let address = String(decoding: try JSONEncoder().encode(order.shippingAddress), as: UTF8.self)
        try await connection.query("""
            INSERT INTO orders.orders (id, buyer_id, status, currency, total_amount, shipping_address, idempotency_key, cart_fingerprint, created_at, updated_at)
            VALUES (\(order.id.uuid), \(order.buyerID.rawValue), \(order.status.rawValue), \(order.total.currency.code), \(order.total.amount),
                    \(address)::jsonb, \(idempotencyKey), \(fingerprint), \(order.createdAt), \(order.updatedAt))
            """, logger: logger)
        let parts = order.sellerOrders
        try await connection.query("""
            INSERT INTO orders.seller_orders (id, order_id, seller_id, status, subtotal_amount, created_at, updated_at)
            SELECT v.id, \(order.id.uuid), v.seller_id, \(order.status.rawValue), v.subtotal, \(order.createdAt), \(order.createdAt)
            FROM unnest(\(parts.map(\.id.uuid))::uuid[], \(parts.map(\.sellerID.rawValue))::text[], \(parts.map(\.subtotal.amount))::bigint[])
                AS v(id, seller_id, subtotal)
            """, logger: logger)
        let lines = order.lines
        try await connection.query("""
            INSERT INTO orders.order_lines (order_id, seller_order_id, product_id, seller_id, title, quantity, unit_amount, position)
            SELECT \(order.id.uuid), v.seller_order_id, v.product_id, v.seller_id, v.title, v.quantity, v.unit_amount, v.position
            FROM unnest(\(lines.map(\.sellerOrderID.uuid))::uuid[], \(lines.map(\.productID.uuid))::uuid[], \(lines.map(\.sellerID.rawValue))::text[],
                        \(lines.map(\.title))::text[], \(lines.map(\.quantity))::integer[], \(lines.map(\.unitPrice.amount))::bigint[],
                        \(Array(0..<lines.count))::integer[])
                AS v(seller_order_id, product_id, seller_id, title, quantity, unit_amount, position)
            """, logger: logger)
        try await appendHistory(order.id, sellerOrder: nil, from: nil, to: order.status.rawValue, reason: nil, at: order.createdAt, on: connection, logger: logger)
    }

    /// A status change to record: the order's (no seller order) or one seller order's.
    struct HistoryRow {
        var sellerOrder: SellerOrderID?
        var from: String?
        var to: String
    }

    /// Writes the order's and its seller orders' statuses and appends `history`, in order.
    static func updateStatuses(
        _ order: Order, history: [HistoryRow] = [], reason: String? = nil, at: Date, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let parts = order.sellerOrders
        var binds = PostgresBindings(capacity: 18)
        binds.append(order.status.rawValue)
        binds.append(order.reason)
        binds.append(order.payment.paymentID)
        binds.append(order.payment.confirmationURL)
        binds.append(order.payment.deadline)
        binds.append(order.payment.paidAt)
        binds.append(order.payment.refundID)
        binds.append(order.payment.refundedAt)
        binds.append(at)
        binds.append(order.id.uuid)
        binds.append(parts.map(\.id.uuid))
        binds.append(parts.map(\.status.rawValue))
        // Arrays cannot carry NULLs through the driver: empty text stands for "no shipment".
        binds.append(parts.map { $0.shipment?.id ?? "" })
        binds.append(parts.map { $0.shipment?.trackingNumber ?? "" })
        binds.append(reason)
        // Empty text stands for "none" here too (the order's own row, the first status).
        binds.append(history.map { $0.sellerOrder?.description ?? "" })
        binds.append(history.map { $0.from ?? "" })
        binds.append(history.map(\.to))
        for try await _ in try await connection.run(StatusesUpdate.self, binds, logger: logger) {}
    }

    /// An order's row, its seller orders' and their history in one statement (every saga step
    /// writes all three).
    enum StatusesUpdate: PreparedSQL {
        static let name = "orders_statuses_update"
        static let sql = """
            WITH history AS (
                INSERT INTO orders.order_history (order_id, seller_order_id, from_status, to_status, reason, at)
                SELECT $10::uuid, NULLIF(h.part, '')::uuid, NULLIF(h.from_status, ''), h.to_status, $15::text, $9::timestamptz
                FROM unnest($16::text[], $17::text[], $18::text[]) WITH ORDINALITY AS h(part, from_status, to_status, n)
                ORDER BY h.n
            ),
            parts AS (
                UPDATE orders.seller_orders s SET status = v.status, shipment_id = NULLIF(v.shipment_id, ''),
                    tracking_number = NULLIF(v.tracking_number, ''), updated_at = $9::timestamptz,
                    delivered_at = CASE WHEN v.status = 'DELIVERED' THEN COALESCE(s.delivered_at, $9::timestamptz) ELSE s.delivered_at END
                FROM unnest($11::uuid[], $12::text[], $13::text[], $14::text[]) AS v(id, status, shipment_id, tracking_number)
                WHERE s.id = v.id AND (s.status <> v.status OR s.shipment_id IS DISTINCT FROM NULLIF(v.shipment_id, ''))
            )
            UPDATE orders.orders SET status = $1::text, reason = $2::text, payment_id = $3::text, payment_url = $4::text,
                payment_deadline = $5::timestamptz, paid_at = $6::timestamptz, refund_id = $7::text, refunded_at = $8::timestamptz,
                updated_at = $9::timestamptz
            WHERE id = $10::uuid
            """
    }

    static func appendHistory(
        _ order: OrderID, sellerOrder: SellerOrderID?, from: String?, to: String, reason: String?, at: Date, on connection: PostgresConnection, logger: Logger
    ) async throws {
        var binds = PostgresBindings(capacity: 6)
        binds.append(order.uuid)
        binds.append(sellerOrder?.uuid)
        binds.append(from)
        binds.append(to)
        binds.append(reason)
        binds.append(at)
        for try await _ in try await connection.run(HistoryInsert.self, binds, logger: logger) {}
    }

    /// Prepared: every order's first row, and declined payments (a saga step's rows go in with
    /// its status update).
    enum HistoryInsert: PreparedSQL {
        static let name = "orders_history_insert"
        static let sql = """
            INSERT INTO orders.order_history (order_id, seller_order_id, from_status, to_status, reason, at)
            VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::timestamptz)
            """
    }

    // MARK: Assembly

    /// Orders with their seller orders and lines, in one statement: the seller orders' and the
    /// lines' columns come as arrays in a fixed order (an order poll was three round trips, and
    /// polls were a third of the statements of a checkout; docs/BENCHMARKS.md, #18). The driver
    /// cannot read NULL array elements, hence the empty texts and the `delivered` flags.
    /// Prepared: planning it cost PostgreSQL more than running it.
    static let select = """
        SELECT \(orderColumns),
               s.ids, s.sellers, s.statuses, s.subtotals, s.shipments, s.trackings, s.created, s.updated, s.delivered, s.delivered_at,
               l.seller_orders, l.products, l.sellers, l.titles, l.quantities, l.amounts
        FROM orders.orders o
        CROSS JOIN LATERAL (
            SELECT COALESCE(array_agg(id ORDER BY seller_id), '{}') AS ids, COALESCE(array_agg(seller_id ORDER BY seller_id), '{}') AS sellers,
                   COALESCE(array_agg(status ORDER BY seller_id), '{}') AS statuses,
                   COALESCE(array_agg(subtotal_amount ORDER BY seller_id), '{}') AS subtotals,
                   COALESCE(array_agg(COALESCE(shipment_id, '') ORDER BY seller_id), '{}') AS shipments,
                   COALESCE(array_agg(COALESCE(tracking_number, '') ORDER BY seller_id), '{}') AS trackings,
                   COALESCE(array_agg(created_at ORDER BY seller_id), '{}') AS created, COALESCE(array_agg(updated_at ORDER BY seller_id), '{}') AS updated,
                   COALESCE(array_agg(delivered_at IS NOT NULL ORDER BY seller_id), '{}') AS delivered,
                   COALESCE(array_agg(COALESCE(delivered_at, created_at) ORDER BY seller_id), '{}') AS delivered_at
            FROM orders.seller_orders WHERE order_id = o.id) s
        CROSS JOIN LATERAL (
            SELECT COALESCE(array_agg(seller_order_id ORDER BY position), '{}') AS seller_orders,
                   COALESCE(array_agg(product_id ORDER BY position), '{}') AS products,
                   COALESCE(array_agg(seller_id ORDER BY position), '{}') AS sellers, COALESCE(array_agg(title ORDER BY position), '{}') AS titles,
                   COALESCE(array_agg(quantity ORDER BY position), '{}') AS quantities, COALESCE(array_agg(unit_amount ORDER BY position), '{}') AS amounts
            FROM orders.order_lines WHERE order_id = o.id) l
        """

    enum OrderLocked: PreparedSQL {
        static let name = "orders_order_locked"
        static let sql = select + " WHERE o.id = $1::uuid FOR UPDATE OF o"
    }

    /// One order, or several.
    enum OrderByID: PreparedSQL {
        static let name = "orders_order_by_id"
        static let sql = select + " WHERE o.id = $1::uuid"
    }

    enum OrdersByID: PreparedSQL {
        static let name = "orders_orders_by_id"
        static let sql = select + " WHERE o.id = ANY($1::uuid[])"
    }

    private static func read(_ rows: AsyncThrowingMapSequence<PostgresRowSequence, PostgresRow>) async throws -> [Order] {
        var orders: [Order] = []
        for try await undecoded in rows {
            let row = try undecoded.decode((
            UUID, String, String, String, Int64, String, String?, String?, String?, Date?, Date?, String?, Date?, Date, Date,
            [UUID], [String], [String], [Int64], [String], [String], [Date], [Date], [Bool], [Date],
            [UUID], [UUID], [String], [String], [Int32], [Int64]
            ).self)
            let currency = try Currency(code: row.3)
            guard let status = OrderStatus(rawValue: row.2) else { throw EmporiumError(.internalError, "stored order status '\(row.2)' is unknown") }
            let buyer = UserID(row.1)
            let address = try JSONDecoder().decode(ShippingAddress.self, from: Data(row.5.utf8))
            let lineCount = row.25.count
            guard [row.26.count, row.27.count, row.28.count, row.29.count, row.30.count].allSatisfy({ $0 == lineCount }) else {
                throw EmporiumError(.internalError, "order \(row.0): its line columns differ in length")
            }
            let lines = (0..<lineCount).map { index in
                OrderLine(
                    productID: ProductID(uuid: row.26[index]), sellerID: UserID(row.27[index]), sellerOrderID: SellerOrderID(uuid: row.25[index]),
                    title: row.28[index], quantity: Int(row.29[index]), unitPrice: Money(amount: row.30[index], currency: currency))
            }
            let partCount = row.15.count
            guard [row.16.count, row.17.count, row.18.count, row.19.count, row.20.count, row.21.count, row.22.count, row.23.count, row.24.count]
                .allSatisfy({ $0 == partCount }) else {
                throw EmporiumError(.internalError, "order \(row.0): its seller order columns differ in length")
            }
            let parts = try (0..<partCount).map { index in
                guard let partStatus = SellerOrderStatus(rawValue: row.17[index]) else {
                    throw EmporiumError(.internalError, "stored seller order status '\(row.17[index])' is unknown")
                }
                let id = row.15[index]
                return SellerOrder(
                    id: SellerOrderID(uuid: id), orderID: OrderID(uuid: row.0), sellerID: UserID(row.16[index]), buyerID: buyer, status: partStatus,
                    subtotal: Money(amount: row.18[index], currency: currency),
                    shipment: row.19[index].isEmpty ? nil : Shipment(id: row.19[index], trackingNumber: row.20[index]),
                    shippingAddress: address, createdAt: row.21[index], updatedAt: row.22[index], deliveredAt: row.23[index] ? row.24[index] : nil,
                    lines: lines.filter { $0.sellerOrderID.uuid == id })
            }
            orders.append(Order(
                id: OrderID(uuid: row.0), buyerID: buyer, status: status, total: Money(amount: row.4, currency: currency), shippingAddress: address,
                lines: lines, sellerOrders: parts,
                payment: PaymentRecord(paymentID: row.7, confirmationURL: row.8, deadline: row.9, paidAt: row.10, refundID: row.11, refundedAt: row.12),
                reason: row.6, createdAt: row.13, updatedAt: row.14))
        }
        return orders
    }

    private static func binds(_ value: some PostgresEncodable & Sendable) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        try bindings.append(value)
        return bindings
    }
}
