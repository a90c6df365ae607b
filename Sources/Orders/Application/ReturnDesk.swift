import Contracts
import Database
import EmporiumCore
import Foundation
import Identity
import Logging
import Messaging
import PostgresNIO

/// Returns after delivery: the buyer asks within 14 days, the seller (or an admin) approves —
/// refunded through the payment provider, `ReturnApproved` for inventory to restock and for the
/// seller's ledger — or refuses with a note.
public struct ReturnDesk: Sendable {
    let client: PostgresClient
    let payments: any PaymentProvider
    let clock: any TimeSource
    let logger: Logger

    public init(client: PostgresClient, payments: any PaymentProvider, clock: any TimeSource = SystemTimeSource(), logger: Logger) {
        self.client = client
        self.payments = payments
        self.clock = clock
        self.logger = logger
    }

    public func request(order id: OrderID, lines requested: [(ProductID, Int)], reason: String, viewer: Principal?) async throws -> ReturnRequest {
        let caller = try Permissions.requireAuthenticated(viewer)
        guard let reason = try OrderRules.reason(reason) else { throw EmporiumError.badInput("say why the items go back", field: "reason") }
        let logger = logger
        let now = OrderWorkflow.milliseconds(clock.now())
        return try await client.transaction(logger: logger) { connection in
            guard let order = try await OrderSQL.lock(id, on: connection, logger: logger) else { throw EmporiumError.notFound("no order with id \(id)") }
            guard order.buyerID == caller.userID else { throw EmporiumError(.forbidden, "only the buyer can return items of order \(id)") }
            // Every line of one return belongs to one seller's part: each seller decides on their own.
            let products = Set(requested.map(\.0))
            let parts = order.sellerOrders.filter { part in part.lines.contains { products.contains($0.productID) } }
            guard parts.count <= 1 else {
                throw EmporiumError.badInput("one return covers one seller's items; ask once per seller", field: "lines")
            }
            guard let part = parts.first else { throw EmporiumError.badInput("none of these products is in order \(id)", field: "lines") }
            let returned = try await ReturnSQL.returnedUnits(part.id, on: connection, logger: logger)
            let lines = try ReturnRules.lines(requested, of: part, alreadyReturned: returned, now: now)
            let amount = Money(amount: lines.map { $0.unitPrice.amount * Int64($0.quantity) }.reduce(0, +), currency: order.total.currency)
            let request = ReturnRequest(
                id: ReturnID(), orderID: order.id, sellerOrderID: part.id, buyerID: order.buyerID, sellerID: part.sellerID, status: .requested,
                reason: reason, decisionNote: nil, lines: lines, amount: amount, refundID: nil, createdAt: now, decidedAt: nil)
            try await ReturnSQL.insert(request, on: connection, logger: logger)
            return request
        }
    }

    public func approve(_ id: ReturnID, viewer: Principal?) async throws -> ReturnRequest {
        try await decide(id, viewer: viewer) { request, order, connection in
            guard let paymentID = order.payment.paymentID else { throw EmporiumError(.conflict, "order \(order.id) has no payment to refund") }
            var decided = request
            decided.status = .approved
            decided.refundID = try await payments.refund(paymentID: paymentID, amount: request.amount, idempotencyKey: "return-\(request.id)")
            let lines = request.lines.map {
                OrderLineValue(
                    productId: $0.productID.description, sellerId: request.sellerID.rawValue, quantity: $0.quantity,
                    unitPrice: MoneyValue(amount: $0.unitPrice.amount, currency: $0.unitPrice.currency.code))
            }
            let event = ReturnApproved(
                returnId: request.id.description, orderId: request.orderID.description, sellerOrderId: request.sellerOrderID.description,
                sellerId: request.sellerID.rawValue, buyerId: request.buyerID.rawValue, lines: lines,
                amount: MoneyValue(amount: request.amount.amount, currency: request.amount.currency.code))
            try await OrderWorkflow.outbox.append([try EventEnvelope(event, correlationID: request.orderID.description)], on: connection, logger: logger)
            return decided
        }
    }

    public func refuse(_ id: ReturnID, note: String, viewer: Principal?) async throws -> ReturnRequest {
        guard let note = try OrderRules.reason(note, field: "reason") else { throw EmporiumError.badInput("say why the return is refused", field: "reason") }
        return try await decide(id, viewer: viewer) { request, _, _ in
            var decided = request
            decided.status = .refused
            decided.decisionNote = note
            return decided
        }
    }

    /// Locks the return, checks the caller decides it and that it is undecided (deciding the
    /// same way twice answers the decision), applies `change`, and stores it.
    private func decide(
        _ id: ReturnID, viewer: Principal?, _ change: @escaping @Sendable (ReturnRequest, Order, PostgresConnection) async throws -> ReturnRequest
    ) async throws -> ReturnRequest {
        let caller = try Permissions.requireAuthenticated(viewer)
        let logger = logger
        let now = OrderWorkflow.milliseconds(clock.now())
        return try await client.transaction(logger: logger) { connection in
            guard let request = try await ReturnSQL.lock(id, on: connection, logger: logger) else { throw EmporiumError.notFound("no return with id \(id)") }
            guard caller.isAdmin || request.sellerID == caller.userID else { throw EmporiumError(.forbidden, "return \(id) is for another seller") }
            guard request.status == .requested else {
                throw EmporiumError(.conflict, "return \(id) was already \(request.status.rawValue.lowercased())")
            }
            guard let order = try await OrderSQL.lock(request.orderID, on: connection, logger: logger) else { throw EmporiumError.notFound("no order \(request.orderID)") }
            var decided = try await change(request, order, connection)
            decided.decidedAt = now
            try await ReturnSQL.decide(decided, on: connection, logger: logger)
            return decided
        }
    }

    public func returns(order: OrderID) async throws -> [ReturnRequest] {
        let logger = logger
        return try await client.withConnection { try await ReturnSQL.returns(order: order, on: $0, logger: logger) }
    }

    public func returns(seller: UserID, status: ReturnStatus?, first: Int, viewer: Principal?) async throws -> [ReturnRequest] {
        let caller = try Permissions.requireAuthenticated(viewer)
        guard caller.isAdmin || caller.userID == seller else { throw EmporiumError(.forbidden, "these are another seller's returns") }
        guard (1...100).contains(first) else { throw EmporiumError.badInput("first must be 1 to 100 (got \(first))", field: "first") }
        let logger = logger
        return try await client.withConnection { try await ReturnSQL.returns(seller: seller, status: status, limit: first, on: $0, logger: logger) }
    }
}
