import Contracts
import Database
import EmporiumCore
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Applies one input to one order: locks it, asks ``OrderMachine``, performs the effects through
/// the providers, and writes the new statuses, the history and the events — all in the caller's
/// transaction, so a crash anywhere leaves the order as it was and the step is retried.
///
/// Provider calls carry idempotency keys derived from the order (`order-<id>`, `refund-<id>`,
/// `shipment-<seller order id>`): a retried step gets back what the first attempt created.
public struct OrderWorkflow: Sendable {
    static let outbox = Outbox(schema: "orders")

    let payments: any PaymentProvider
    let delivery: any DeliveryProvider
    let paymentTimeout: Duration
    let clock: any TimeSource

    public init(payments: any PaymentProvider, delivery: any DeliveryProvider, paymentTimeout: Duration, clock: any TimeSource = SystemTimeSource()) {
        self.payments = payments
        self.delivery = delivery
        self.paymentTimeout = paymentTimeout
        self.clock = clock
    }

    @discardableResult
    public func apply(_ input: OrderInput, to id: OrderID, reason: String? = nil, on connection: PostgresConnection, logger: Logger) async throws -> Order {
        guard var order = try await OrderSQL.lock(id, on: connection, logger: logger) else {
            throw EmporiumError.notFound("no order with id \(id)")
        }
        let decision = try OrderMachine.apply(input, to: order.state)
        guard !decision.isNoOp else { return order }
        let now = Self.milliseconds(clock.now())
        order.status = decision.state.status
        for index in order.sellerOrders.indices {
            if let part = decision.state.sellerOrders.first(where: { $0.id == order.sellerOrders[index].id }) {
                order.sellerOrders[index].status = part.status
            }
        }
        if let change = decision.orderChange, change.to == .cancelled || change.to == .rejected {
            order.reason = reason
        }
        if decision.state.paid && order.payment.paidAt == nil {
            order.payment.paidAt = now
        }
        for effect in decision.effects {
            switch effect {
            case .requestPayment:
                let intent = try await payments.createPayment(PaymentRequest(orderID: id, amount: order.total, idempotencyKey: "order-\(id)"))
                order.payment.paymentID = intent.id
                order.payment.confirmationURL = intent.confirmationURL
                order.payment.deadline = now.addingTimeInterval(Double(paymentTimeout.components.seconds))
            case .refund:
                guard let paymentID = order.payment.paymentID else { continue }
                order.payment.refundID = try await payments.refund(paymentID: paymentID, amount: order.total, idempotencyKey: "refund-\(id)")
                order.payment.refundedAt = now
            case .createShipment(let part):
                guard let index = order.sellerOrders.firstIndex(where: { $0.id == part }) else { continue }
                order.sellerOrders[index].shipment = try await delivery.createShipment(
                    sellerOrder: part, address: order.shippingAddress, idempotencyKey: "shipment-\(part)")
            }
        }
        var history: [OrderSQL.HistoryRow] = []
        if let change = decision.orderChange { history.append(.init(sellerOrder: nil, from: change.from.rawValue, to: change.to.rawValue)) }
        for change in decision.sellerChanges where order.sellerOrders.contains(where: { $0.id == change.id }) {
            history.append(.init(sellerOrder: change.id, from: change.from.rawValue, to: change.to.rawValue))
        }
        try await OrderSQL.updateStatuses(order, history: history, reason: reason, at: now, on: connection, logger: logger)
        try await record(decision, of: order, input: input, reason: reason, at: now, on: connection, logger: logger)
        return order
    }

    /// The events of a decision (its history rows went in with the statuses).
    private func record(
        _ decision: OrderDecision, of order: Order, input: OrderInput, reason: String?, at now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws {
        var events: [EventEnvelope] = []
        let correlation = order.id.description
        let cause: SellerOrderID? = switch input {
        case .carrierShipped(let part), .carrierDelivered(let part), .shipmentCreated(let part): part
        default: nil
        }
        if let change = decision.orderChange {
            events.append(try EventEnvelope(OrderStatusChanged(
                orderId: order.id.description, sellerOrderId: cause?.description, buyerId: order.buyerID.rawValue,
                sellerIds: order.sellerIDs.map(\.rawValue), lines: order.lines.map(Self.value), from: change.from.rawValue, to: change.to.rawValue,
                reason: reason, occurredAt: now), occurredAt: now, correlationID: correlation))
        }
        for change in decision.sellerChanges {
            guard let part = order.sellerOrders.first(where: { $0.id == change.id }) else { continue }
            events.append(try EventEnvelope(SellerOrderStatusChanged(
                sellerOrderId: part.id.description, orderId: order.id.description, sellerId: part.sellerID.rawValue, buyerId: order.buyerID.rawValue,
                lines: part.lines.map(Self.value), from: change.from.rawValue, to: change.to.rawValue, reason: reason, occurredAt: now),
                occurredAt: now, correlationID: correlation))
        }
        try await Self.outbox.append(events, on: connection, logger: logger)
    }

    static func value(_ line: OrderLine) -> OrderLineValue {
        OrderLineValue(
            productId: line.productID.description, sellerId: line.sellerID.rawValue, quantity: line.quantity,
            unitPrice: MoneyValue(amount: line.unitPrice.amount, currency: line.unitPrice.currency.code))
    }

    /// Times kept to the millisecond: what PostgreSQL and the events carry.
    static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
