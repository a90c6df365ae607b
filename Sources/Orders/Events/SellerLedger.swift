import Contracts
import Database
import EmporiumCore
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Each seller's ledger, projected from Orders' own events in the inbox's transaction: a paid
/// part is a SALE and the marketplace's COMMISSION; a paid part cancelled, or an approved
/// return, is a REFUND and the commission given back. The balance and the units sold move with
/// every entry; an entry is written once per event (its id is part of the key).
public struct SellerLedger: Sendable {
    /// The marketplace's share of every sale, in percent (`EMPORIUM_COMMISSION_PERCENT`).
    let commissionPercent: Int

    public init(commissionPercent: Int) {
        self.commissionPercent = commissionPercent
    }

    func register(in handlers: inout EventHandlers) {
        let ledger = self
        handlers.on(SellerOrderStatusChanged.self, when: { $0.to == "PAID" || ($0.to == "CANCELLED" && $0.from == "PAID") }) { event, context in
            let sign: Int64 = event.to == "PAID" ? 1 : -1
            try await ledger.record(
                seller: event.sellerId, order: event.orderId, part: event.sellerOrderId, returnID: nil, lines: event.lines, sign: sign, context)
        }
        handlers.on(ReturnApproved.self) { event, context in
            try await ledger.record(
                seller: event.sellerId, order: event.orderId, part: event.sellerOrderId, returnID: event.returnId, lines: event.lines, sign: -1, context)
        }
    }

    /// Floor of the percentage: the seller is never charged a fraction of a minor unit more.
    func commission(of amount: Int64) -> Int64 { amount * Int64(commissionPercent) / 100 }

    private func record(
        seller: String, order: String, part: String, returnID: String?, lines: [OrderLineValue], sign: Int64, _ context: EventContext
    ) async throws {
        guard let orderID = UUID(uuidString: order), let partID = UUID(uuidString: part), let currency = lines.first?.unitPrice.currency else { return }
        // Checkout bounds them (1,000 units of at most 2^31 − 1 per line, at most 100 lines); an
        // event from elsewhere that would overflow is refused (parked), never a trap.
        var amount: Int64 = 0
        var units: Int64 = 0
        for line in lines {
            let (lineTotal, overflow) = Int64(clamping: line.quantity).multipliedReportingOverflow(by: line.unitPrice.amount)
            let (sum, overflowSum) = amount.addingReportingOverflow(lineTotal)
            guard !overflow, !overflowSum, (1...1_000_000).contains(line.quantity), line.unitPrice.amount >= 0 else {
                throw EventDecodingError("order \(order) has a line no checkout could make (quantity \(line.quantity), price \(line.unitPrice.amount))")
            }
            amount = sum
            units += Int64(line.quantity)
        }
        let fee = commission(of: amount)
        let entries: [(String, Int64)] = sign > 0 ? [("SALE", amount), ("COMMISSION", -fee)] : [("REFUND", -amount), ("COMMISSION_REFUND", fee)]
        let at = context.envelope.occurredAt
        let returnUUID = returnID.flatMap(UUID.init(uuidString:))
        let written = try await context.connection.query("""
            INSERT INTO orders.seller_ledger (seller_id, order_id, seller_order_id, return_id, kind, amount, currency, at, event_id)
            SELECT \(seller), \(orderID), \(partID), \(returnUUID), v.kind, v.amount, \(currency), \(at), \(context.envelope.eventID)
            FROM unnest(\(entries.map(\.0))::text[], \(entries.map(\.1))::bigint[]) AS v(kind, amount)
            ON CONFLICT (event_id, kind) DO NOTHING RETURNING id
            """, logger: context.logger).collectAll()
        // Written before (an event replayed after the inbox forgot it): the account has it too.
        guard !written.isEmpty else { return }
        try await context.connection.query("""
            INSERT INTO orders.seller_accounts (seller_id, currency, balance, units_sold) VALUES (\(seller), \(currency), \(entries.map(\.1).reduce(0, +)), \(units * sign))
            ON CONFLICT (seller_id, currency) DO UPDATE SET balance = orders.seller_accounts.balance + EXCLUDED.balance,
                units_sold = orders.seller_accounts.units_sold + EXCLUDED.units_sold
            """, logger: context.logger)
    }
}

/// A seller's standing, read for `Seller.balance`, `Seller.salesCount` and `Seller.ledger`.
public struct LedgerEntry: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let amount: Money
    public let orderID: OrderID
    public let returnID: ReturnID?
    public let at: Date
}

enum LedgerSQL {
    static func balances(_ seller: UserID, on connection: PostgresConnection, logger: Logger) async throws -> (balances: [Money], units: Int64) {
        let rows = try await connection.query(
            "SELECT currency, balance, units_sold FROM orders.seller_accounts WHERE seller_id = \(seller.rawValue) ORDER BY currency", logger: logger
        ).decode((String, Int64, Int64).self).collectAll()
        let balances = rows.compactMap { row in (try? Currency(code: row.0)).map { Money(amount: row.1, currency: $0) } }
        return (balances, rows.map(\.2).reduce(0, +))
    }

    static func entries(_ seller: UserID, before: Int64?, limit: Int, on connection: PostgresConnection, logger: Logger) async throws -> [LedgerEntry] {
        let rows = try await connection.query("""
            SELECT id, kind, amount, currency, order_id, return_id, at FROM orders.seller_ledger
            WHERE seller_id = \(seller.rawValue) AND id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(limit)
            """, logger: logger).decode((Int64, String, Int64, String, UUID, UUID?, Date).self).collectAll()
        return rows.compactMap { row in
            guard let currency = try? Currency(code: row.3) else { return nil }
            return LedgerEntry(
                id: row.0, kind: row.1, amount: Money(amount: row.2, currency: currency), orderID: OrderID(uuid: row.4),
                returnID: row.5.map(ReturnID.init(uuid:)), at: row.6)
        }
    }
}
