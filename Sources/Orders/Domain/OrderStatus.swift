/// Where a whole order is. The raw values are the GraphQL enum's and the events' `from`/`to`.
///
/// PENDING → AWAITING_PAYMENT | REJECTED; AWAITING_PAYMENT → PAID | CANCELLED; PAID →
/// PARTIALLY_SHIPPED | SHIPPED | CANCELLED; PARTIALLY_SHIPPED → SHIPPED; SHIPPED → DELIVERED.
/// After payment the order's status follows its seller orders (``OrderMachine/derived(from:)``).
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    /// Placed; inventory is reserving its lines.
    case pending = "PENDING"
    /// Every line is reserved; the buyer has until the payment deadline to pay.
    case awaitingPayment = "AWAITING_PAYMENT"
    case paid = "PAID"
    /// Some sellers' parts have shipped, others not yet.
    case partiallyShipped = "PARTIALLY_SHIPPED"
    /// Every seller's part has shipped; not all have arrived.
    case shipped = "SHIPPED"
    case delivered = "DELIVERED"
    /// By the buyer, a seller, an admin, or the payment deadline; stock released, payment refunded.
    case cancelled = "CANCELLED"
    /// Inventory could not reserve every line.
    case rejected = "REJECTED"

    /// Nothing more happens to the order itself (returns are their own records).
    public var isFinal: Bool { self == .delivered || self == .cancelled || self == .rejected }
}

/// Where one seller's part of an order is.
public enum SellerOrderStatus: String, Sendable, CaseIterable, Codable {
    case pending = "PENDING"
    case awaitingPayment = "AWAITING_PAYMENT"
    case paid = "PAID"
    case shipped = "SHIPPED"
    case delivered = "DELIVERED"
    case cancelled = "CANCELLED"
    case rejected = "REJECTED"
}
