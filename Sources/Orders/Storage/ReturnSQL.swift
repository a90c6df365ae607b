import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// Return rows on the caller's connection.
enum ReturnSQL {
    typealias Columns = (UUID, UUID, UUID, String, String, String, String, String?, Int64, String, String?, Date, Date?)
    static let columns = """
        id, order_id, seller_order_id, buyer_id, seller_id, status, reason, decision_note, amount, currency, refund_id, created_at, decided_at
        """

    static func insert(_ request: ReturnRequest, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO orders.returns (id, order_id, seller_order_id, buyer_id, seller_id, status, reason, amount, currency, created_at)
            VALUES (\(request.id.uuid), \(request.orderID.uuid), \(request.sellerOrderID.uuid), \(request.buyerID.rawValue), \(request.sellerID.rawValue),
                    \(request.status.rawValue), \(request.reason), \(request.amount.amount), \(request.amount.currency.code), \(request.createdAt))
            """, logger: logger)
        let lines = request.lines
        try await connection.query("""
            INSERT INTO orders.return_lines (return_id, product_id, quantity, unit_amount)
            SELECT \(request.id.uuid), v.product_id, v.quantity, v.unit_amount
            FROM unnest(\(lines.map(\.productID.uuid))::uuid[], \(lines.map(\.quantity))::integer[], \(lines.map(\.unitPrice.amount))::bigint[])
                AS v(product_id, quantity, unit_amount)
            """, logger: logger)
    }

    static func decide(_ request: ReturnRequest, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE orders.returns SET status = \(request.status.rawValue), decision_note = \(request.decisionNote), refund_id = \(request.refundID),
                decided_at = \(request.decidedAt) WHERE id = \(request.id.uuid)
            """, logger: logger)
    }

    /// Units of each product in the seller order's returns that were not refused.
    static func returnedUnits(_ part: SellerOrderID, on connection: PostgresConnection, logger: Logger) async throws -> [ProductID: Int] {
        let rows = try await connection.query("""
            SELECT l.product_id, sum(l.quantity)::integer FROM orders.return_lines l JOIN orders.returns r ON r.id = l.return_id
            WHERE r.seller_order_id = \(part.uuid) AND r.status <> 'REFUSED' GROUP BY l.product_id
            """, logger: logger).decode((UUID, Int).self).collectAll()
        return Dictionary(rows.map { (ProductID(uuid: $0.0), $0.1) }, uniquingKeysWith: +)
    }

    static func lock(_ id: ReturnID, on connection: PostgresConnection, logger: Logger) async throws -> ReturnRequest? {
        try await read(where: "id = $1 FOR UPDATE", id.uuid, on: connection, logger: logger).first
    }

    static func returns(order: OrderID, on connection: PostgresConnection, logger: Logger) async throws -> [ReturnRequest] {
        try await read(where: "order_id = $1 ORDER BY created_at, id", order.uuid, on: connection, logger: logger)
    }

    static func returns(seller: UserID, status: ReturnStatus?, limit: Int, on connection: PostgresConnection, logger: Logger) async throws -> [ReturnRequest] {
        var bindings = PostgresBindings()
        bindings.append(seller.rawValue)
        var condition = "seller_id = $1"
        if let status {
            bindings.append(status.rawValue)
            condition += " AND status = $2"
        }
        bindings.append(limit)
        let query = PostgresQuery(
            unsafeSQL: "SELECT \(columns) FROM orders.returns WHERE \(condition) ORDER BY created_at DESC, id DESC LIMIT $\(bindings.count)", binds: bindings)
        return try await assemble(try await connection.query(query, logger: logger).decode(Columns.self).collectAll(), on: connection, logger: logger)
    }

    private static func read(where condition: String, _ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [ReturnRequest] {
        var bindings = PostgresBindings()
        bindings.append(id)
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM orders.returns WHERE \(condition)", binds: bindings), logger: logger)
            .decode(Columns.self).collectAll()
        return try await assemble(rows, on: connection, logger: logger)
    }

    private static func assemble(_ rows: [Columns], on connection: PostgresConnection, logger: Logger) async throws -> [ReturnRequest] {
        guard !rows.isEmpty else { return [] }
        let lineRows = try await connection.query("""
            SELECT return_id, product_id, quantity, unit_amount FROM orders.return_lines WHERE return_id = ANY(\(rows.map(\.0))) ORDER BY return_id, product_id
            """, logger: logger).decode((UUID, UUID, Int, Int64).self).collectAll()
        return try rows.map { row in
            let currency = try Currency(code: row.9)
            guard let status = ReturnStatus(rawValue: row.5) else { throw EmporiumError(.internalError, "stored return status '\(row.5)' is unknown") }
            return ReturnRequest(
                id: ReturnID(uuid: row.0), orderID: OrderID(uuid: row.1), sellerOrderID: SellerOrderID(uuid: row.2), buyerID: UserID(row.3),
                sellerID: UserID(row.4), status: status, reason: row.6, decisionNote: row.7,
                lines: lineRows.filter { $0.0 == row.0 }.map { ReturnLine(productID: ProductID(uuid: $0.1), quantity: $0.2, unitPrice: Money(amount: $0.3, currency: currency)) },
                amount: Money(amount: row.8, currency: currency), refundID: row.10, createdAt: row.11, decidedAt: row.12)
        }
    }
}
