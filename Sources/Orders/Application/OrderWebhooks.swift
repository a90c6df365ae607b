import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// Receives the providers' webhooks: checks the signature and the window (401 otherwise),
/// refuses an event id seen before (401: a replay), and applies the news to the order — the
/// event id is recorded in the same transaction, so a refused or failed webhook leaves nothing.
public struct OrderWebhooks: Sendable {
    let client: PostgresClient
    let workflow: OrderWorkflow
    let signature: WebhookSignature
    let logger: Logger
    static let maximumBody = 64 * 1024
    /// The answer to an event id applied before (401 over HTTP; the in-process sandbox sender
    /// takes it as "delivered": its earlier attempt got through before a crash lost the receipt).
    public static let replayed = EmporiumError(.unauthenticated, "this webhook event was received before")

    public init(client: PostgresClient, workflow: OrderWorkflow, signature: WebhookSignature, logger: Logger) {
        self.client = client
        self.workflow = workflow
        self.signature = signature
        self.logger = logger
    }

    public func receivePayment(body: [UInt8], signature header: String?) async throws {
        let webhook: PaymentWebhook = try verified(body, header, source: "payments")
        guard let orderUUID = UUID(uuidString: webhook.orderId) else { throw EmporiumError.badInput("orderId is not an order id", field: "orderId") }
        let id = OrderID(uuid: orderUUID)
        let logger = logger
        let workflow = workflow
        try await client.transaction(logger: logger) { connection in
            try await Self.claim(webhook.id, source: "payments", on: connection, logger: logger)
            guard let order = try await OrderSQL.lock(id, on: connection, logger: logger) else { throw EmporiumError.notFound("no order with id \(id)") }
            guard order.payment.paymentID == webhook.paymentId else {
                throw EmporiumError(.conflict, "payment \(webhook.paymentId.prefix(64)) is not order \(id)'s payment")
            }
            switch webhook.type {
            case .succeeded:
                guard webhook.amount == order.total.amount, webhook.currency == order.total.currency.code else {
                    logger.error("payment amount differs from the order total", metadata: [
                        "order.id": "\(id)", "payment.amount": "\(webhook.amount) \(webhook.currency.prefix(8))", "order.total": "\(order.total)",
                    ])
                    throw EmporiumError(.conflict, "the payment's amount is not the order's total")
                }
                try await workflow.apply(.paymentSucceeded, to: id, on: connection, logger: logger)
            case .declined:
                // The buyer may try another card until the deadline; the history says what happened.
                try await OrderSQL.appendHistory(
                    id, sellerOrder: nil, from: order.status.rawValue, to: order.status.rawValue, reason: "payment declined", at: Date(), on: connection, logger: logger)
            case .refunded:
                logger.info("refund confirmed", metadata: ["order.id": "\(id)"])
            }
        }
    }

    public func receiveDelivery(body: [UInt8], signature header: String?) async throws {
        let webhook: DeliveryWebhook = try verified(body, header, source: "delivery")
        guard let partUUID = UUID(uuidString: webhook.sellerOrderId) else {
            throw EmporiumError.badInput("sellerOrderId is not a seller order id", field: "sellerOrderId")
        }
        let part = SellerOrderID(uuid: partUUID)
        let logger = logger
        let workflow = workflow
        try await client.transaction(logger: logger) { connection in
            try await Self.claim(webhook.id, source: "delivery", on: connection, logger: logger)
            let rows = try await connection.query(
                "SELECT order_id, shipment_id FROM orders.seller_orders WHERE id = \(part.uuid)", logger: logger
            ).decode((UUID, String?).self).collectAll()
            guard let row = rows.first else { throw EmporiumError.notFound("no seller order with id \(part)") }
            guard row.1 == webhook.shipmentId else { throw EmporiumError(.conflict, "shipment \(webhook.shipmentId.prefix(64)) is not seller order \(part)'s") }
            let input: OrderInput = webhook.type == .shipped ? .carrierShipped(sellerOrder: part) : .carrierDelivered(sellerOrder: part)
            try await workflow.apply(input, to: OrderID(uuid: row.0), on: connection, logger: logger)
        }
    }

    private func verified<Payload: Decodable>(_ body: [UInt8], _ header: String?, source: String) throws -> Payload {
        // The window is about real time, whatever clock the orders run on.
        if let refusal = signature.refusal(of: header, body: body, now: Date()) {
            logger.warning("webhook refused", metadata: ["webhook.source": "\(source)", "reason": "\(refusal)"])
            throw EmporiumError(.unauthenticated, "the webhook's signature is missing, wrong or outside the five-minute window")
        }
        do {
            return try JSONDecoder().decode(Payload.self, from: Data(body))
        } catch {
            throw EmporiumError.badInput("the webhook's body is not a \(source) event: \(error)")
        }
    }

    /// Records the event id; a second delivery of the same event is a replay.
    private static func claim(_ id: String, source: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard (1...200).contains(id.utf8.count), !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw EmporiumError.badInput("the event id must be 1 to 200 characters, none of them control characters", field: "id") }
        let rows = try await connection.query(
            "INSERT INTO orders.webhook_events (id, source) VALUES (\(id), \(source)) ON CONFLICT DO NOTHING RETURNING id", logger: logger
        ).collectAll()
        guard !rows.isEmpty else {
            logger.warning("webhook replay refused", metadata: ["webhook.source": "\(source)", "event.id": "\(id.prefix(64))"])
            throw replayed
        }
    }
}
