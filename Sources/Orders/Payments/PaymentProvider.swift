import EmporiumCore
import Foundation

/// A hosted-payment provider: Orders asks for a payment and sends the buyer to its confirmation
/// page; the outcome arrives later as a signed webhook (``WebhookSignature``).
///
/// Every call carries an idempotency key, so a retried call (the saga's step retried after a
/// crash) returns what the first one created instead of charging or refunding twice.
public protocol PaymentProvider: Sendable {
    func createPayment(_ request: PaymentRequest) async throws -> PaymentIntent
    func refund(paymentID: String, amount: Money, idempotencyKey: String) async throws -> String
}

public struct PaymentRequest: Sendable, Equatable {
    public let orderID: OrderID
    public let amount: Money
    public let idempotencyKey: String
}

public struct PaymentIntent: Sendable, Equatable {
    public let id: String
    /// Where the buyer confirms the payment.
    public let confirmationURL: String
}

/// A delivery provider: a shipment per seller order, its progress reported by signed webhooks.
public protocol DeliveryProvider: Sendable {
    func createShipment(sellerOrder: SellerOrderID, address: ShippingAddress, idempotencyKey: String) async throws -> Shipment
}
