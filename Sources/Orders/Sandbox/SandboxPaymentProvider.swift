import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// A payment provider that behaves like a hosted one, for development and tests: a payment gets
/// a confirmation page (``SandboxRoutes``) where the buyer pays or declines; the outcome comes
/// back as a signed webhook, later, through ``SandboxWebhookSender``. Card numbers in
/// ``decliningCards`` decline, any other pays.
///
/// Its books are its own tables (`orders.sandbox_*`), written in its own transactions, as a
/// remote provider's would be: Orders never reads them.
public struct SandboxPaymentProvider: PaymentProvider {
    /// The test cards that decline (the numbers payment providers' sandboxes use).
    public static let decliningCards: Set<String> = ["4000000000000002", "4000000000009995"]

    let client: PostgresClient
    let sender: SandboxWebhookSender
    /// Prefix of confirmation URLs: empty for paths on this server (`/sandbox/payments/<id>`).
    let baseURL: String
    let logger: Logger

    public init(client: PostgresClient, sender: SandboxWebhookSender, baseURL: String = "", logger: Logger) {
        self.client = client
        self.sender = sender
        self.baseURL = baseURL
        self.logger = logger
    }

    public func createPayment(_ request: PaymentRequest) async throws -> PaymentIntent {
        let id = "pay_" + UUIDText.lowercase(UUID()).replacingOccurrences(of: "-", with: "")
        let rows = try await client.query("""
            WITH created AS (
                INSERT INTO orders.sandbox_payments (id, idempotency_key, order_id, amount, currency, status)
                VALUES (\(id), \(request.idempotencyKey), \(request.orderID.description), \(request.amount.amount), \(request.amount.currency.code), 'pending')
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
            )
            SELECT id FROM created UNION ALL SELECT id FROM orders.sandbox_payments WHERE idempotency_key = \(request.idempotencyKey)
            """, logger: logger).decode(String.self).collectAll()
        guard let paymentID = rows.first else { throw EmporiumError(.internalError, "the sandbox lost payment \(request.idempotencyKey)") }
        return PaymentIntent(id: paymentID, confirmationURL: "\(baseURL)/sandbox/payments/\(paymentID)")
    }

    public func refund(paymentID: String, amount: Money, idempotencyKey: String) async throws -> String {
        let id = "re_" + UUIDText.lowercase(UUID()).replacingOccurrences(of: "-", with: "")
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO orders.sandbox_refunds (id, idempotency_key, payment_id, amount) VALUES (\(id), \(idempotencyKey), \(paymentID), \(amount.amount))
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
                """, logger: logger).decode(String.self).collectAll()
            guard rows.isEmpty else {
                let order = try await connection.query("SELECT order_id FROM orders.sandbox_payments WHERE id = \(paymentID)", logger: logger)
                    .decode(String.self).collectAll().first ?? ""
                let webhook = PaymentWebhook(id: "evt_" + id, type: .refunded, paymentId: paymentID, orderId: order, amount: amount.amount, currency: amount.currency.code)
                try await sender.enqueue(.payments, webhook, on: connection, logger: logger)
                return id
            }
            return try await connection.query("SELECT id FROM orders.sandbox_refunds WHERE idempotency_key = \(idempotencyKey)", logger: logger)
                .decode(String.self).collectAll().first ?? id
        }
    }

    public enum Outcome: String, Sendable {
        case succeeded, declined
    }

    /// What the buyer does on the confirmation page: pays with `card` (a declining test card
    /// declines). Confirming a payment that is no longer pending answers its outcome again.
    public func confirm(paymentID: String, card: String) async throws -> Outcome {
        let digits = card.filter(\.isNumber)
        guard (12...19).contains(digits.count) else {
            throw EmporiumError.badInput("a card number has 12 to 19 digits", field: "card")
        }
        let outcome: Outcome = Self.decliningCards.contains(digits) ? .declined : .succeeded
        let logger = logger
        let sender = sender
        let answer: Outcome = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT order_id, amount, currency, status FROM orders.sandbox_payments WHERE id = \(paymentID) FOR UPDATE", logger: logger
            ).decode((String, Int64, String, String).self).collectAll()
            guard let row = rows.first else { throw EmporiumError.notFound("no sandbox payment \(paymentID.prefix(64))") }
            // A declined payment may be tried again with another card; a paid one stays paid.
            if row.3 == "succeeded" { return .succeeded }
            try await connection.query("UPDATE orders.sandbox_payments SET status = \(outcome.rawValue) WHERE id = \(paymentID)", logger: logger)
            let webhook = PaymentWebhook(
                id: "evt_" + UUIDText.lowercase(UUID()).replacingOccurrences(of: "-", with: ""), type: outcome == .succeeded ? .succeeded : .declined,
                paymentId: paymentID, orderId: row.0, amount: row.1, currency: row.2)
            try await sender.enqueue(.payments, webhook, on: connection, logger: logger)
            return outcome
        }
        sender.wake()
        return answer
    }

    /// The payment as the sandbox page shows it.
    public func payment(id: String) async throws -> (orderID: String, amount: Money, status: String)? {
        let rows = try await client.query("SELECT order_id, amount, currency, status FROM orders.sandbox_payments WHERE id = \(id)", logger: logger)
            .decode((String, Int64, String, String).self).collectAll()
        guard let row = rows.first, let currency = try? Currency(code: row.2) else { return nil }
        return (row.0, Money(amount: row.1, currency: currency), row.3)
    }
}

/// A delivery provider for development and tests: shipments get a tracking number at once and
/// move on when asked (`POST /sandbox/shipments/<id>/advance`), each step a signed webhook.
public struct SandboxDeliveryProvider: DeliveryProvider {
    let client: PostgresClient
    let sender: SandboxWebhookSender
    let logger: Logger

    public init(client: PostgresClient, sender: SandboxWebhookSender, logger: Logger) {
        self.client = client
        self.sender = sender
        self.logger = logger
    }

    public func createShipment(sellerOrder: SellerOrderID, address _: ShippingAddress, idempotencyKey: String) async throws -> Shipment {
        let id = "shp_" + UUIDText.lowercase(UUID()).replacingOccurrences(of: "-", with: "")
        let tracking = "EMP" + String(UInt64.random(in: 1_000_000_000...9_999_999_999))
        let rows = try await client.query("""
            WITH created AS (
                INSERT INTO orders.sandbox_shipments (id, idempotency_key, seller_order_id, tracking_number, status)
                VALUES (\(id), \(idempotencyKey), \(sellerOrder.description), \(tracking), 'created')
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, tracking_number
            )
            SELECT id, tracking_number FROM created
            UNION ALL SELECT id, tracking_number FROM orders.sandbox_shipments WHERE idempotency_key = \(idempotencyKey)
            """, logger: logger).decode((String, String).self).collectAll()
        guard let row = rows.first else { throw EmporiumError(.internalError, "the sandbox lost shipment \(idempotencyKey)") }
        return Shipment(id: row.0, trackingNumber: row.1)
    }

    /// Moves the shipment one step (created → shipped → delivered) and sends its webhook; returns
    /// the new status. A delivered shipment stays delivered.
    public func advance(shipmentID: String) async throws -> String {
        let logger = logger
        let sender = sender
        let status: String = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT seller_order_id, tracking_number, status FROM orders.sandbox_shipments WHERE id = \(shipmentID) FOR UPDATE", logger: logger
            ).decode((String, String, String).self).collectAll()
            guard let row = rows.first else { throw EmporiumError.notFound("no sandbox shipment \(shipmentID.prefix(64))") }
            let next: (String, DeliveryWebhook.Kind)
            switch row.2 {
            case "created": next = ("shipped", .shipped)
            case "shipped": next = ("delivered", .delivered)
            default: return row.2
            }
            try await connection.query("UPDATE orders.sandbox_shipments SET status = \(next.0) WHERE id = \(shipmentID)", logger: logger)
            let webhook = DeliveryWebhook(
                id: "evt_" + UUIDText.lowercase(UUID()).replacingOccurrences(of: "-", with: ""), type: next.1, shipmentId: shipmentID,
                sellerOrderId: row.0, trackingNumber: row.1)
            try await sender.enqueue(.delivery, webhook, on: connection, logger: logger)
            return next.0
        }
        sender.wake()
        return status
    }
}
