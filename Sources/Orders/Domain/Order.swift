import EmporiumCore
import Foundation

/// Where the buyer wants the order delivered.
public struct ShippingAddress: Sendable, Equatable, Codable {
    public var name: String
    public var line1: String
    public var line2: String?
    public var city: String
    public var postalCode: String
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String
    public var phone: String?

    public init(name: String, line1: String, line2: String? = nil, city: String, postalCode: String, country: String, phone: String? = nil) {
        self.name = name
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.postalCode = postalCode
        self.country = country
        self.phone = phone
    }
}

/// One product of an order, at the price snapshotted at checkout.
public struct OrderLine: Sendable, Equatable {
    public let productID: ProductID
    public let sellerID: UserID
    public let sellerOrderID: SellerOrderID
    public let title: String
    public let quantity: Int
    public let unitPrice: Money

    /// Quantity ≤ 1,000 and unit price < 2^31: the product fits in 64 bits with room to spare.
    public var lineTotal: Money { Money(amount: unitPrice.amount * Int64(quantity), currency: unitPrice.currency) }
}

/// A status change in an order's history.
public struct OrderStatusChange: Sendable, Equatable {
    public let sellerOrderID: SellerOrderID?
    public let from: String?
    public let to: String
    public let reason: String?
    public let at: Date
}

public struct Shipment: Sendable, Equatable {
    public let id: String
    public let trackingNumber: String
}

/// One seller's part of an order: their lines, shipped on their own.
public struct SellerOrder: Sendable, Equatable {
    public let id: SellerOrderID
    public let orderID: OrderID
    public let sellerID: UserID
    public let buyerID: UserID
    public var status: SellerOrderStatus
    public let subtotal: Money
    public var shipment: Shipment?
    public let shippingAddress: ShippingAddress
    public let createdAt: Date
    public var updatedAt: Date
    /// When the carrier delivered it (returns are open for 14 days from then).
    public var deliveredAt: Date? = nil
    public var lines: [OrderLine]
}

/// An order as its buyer (and admins) see it.
public struct Order: Sendable, Equatable {
    public let id: OrderID
    public let buyerID: UserID
    public var status: OrderStatus
    public let total: Money
    public let shippingAddress: ShippingAddress
    public var lines: [OrderLine]
    public var sellerOrders: [SellerOrder]
    public var payment: PaymentRecord
    /// Why it was rejected or cancelled.
    public var reason: String?
    public let createdAt: Date
    public var updatedAt: Date

    public var state: OrderState {
        OrderState(
            status: status, sellerOrders: sellerOrders.map { SellerOrderState(id: $0.id, status: $0.status, hasShipment: $0.shipment != nil) },
            paid: payment.paidAt != nil, refunded: payment.refundedAt != nil)
    }

    /// The sellers with a part in it, in seller order.
    public var sellerIDs: [UserID] { sellerOrders.map(\.sellerID) }
}

/// The order's payment as the provider reported it.
public struct PaymentRecord: Sendable, Equatable {
    public var paymentID: String?
    public var confirmationURL: String?
    public var deadline: Date?
    public var paidAt: Date?
    public var refundID: String?
    public var refundedAt: Date?

    public init(paymentID: String? = nil, confirmationURL: String? = nil, deadline: Date? = nil, paidAt: Date? = nil, refundID: String? = nil, refundedAt: Date? = nil) {
        self.paymentID = paymentID
        self.confirmationURL = confirmationURL
        self.deadline = deadline
        self.paidAt = paidAt
        self.refundID = refundID
        self.refundedAt = refundedAt
    }
}
