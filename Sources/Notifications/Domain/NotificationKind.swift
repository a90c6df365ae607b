/// What a notification is about. The raw values are the GraphQL enum's and the stored text.
public enum NotificationKind: String, CaseIterable, Sendable {
    /// Seller: a product's available units fell to its low-stock threshold.
    case lowStock = "LOW_STOCK"
    /// Seller: back above the threshold.
    case lowStockCleared = "LOW_STOCK_CLEARED"
    /// Seller: an order with their products was placed.
    case newOrder = "NEW_ORDER"
    /// Buyer: their order changed status.
    case orderStatus = "ORDER_STATUS"
    /// Watcher: a product they watch can be bought again.
    case backInStock = "BACK_IN_STOCK"
    /// Watcher: a product they watch got cheaper.
    case priceDrop = "PRICE_DROP"
    /// Seller or admin: an export they asked for is ready to download.
    case exportReady = "EXPORT_READY"

    /// Whether mail goes out for this kind when the user has not said otherwise: yes for what
    /// concerns their own orders and shop, no for watched products (which can be many).
    public var emailByDefault: Bool {
        switch self {
        case .lowStock, .newOrder, .orderStatus: true
        case .lowStockCleared, .backInStock, .priceDrop, .exportReady: false
        }
    }

    /// The kinds a user can watch a product for.
    public static let watchable: [NotificationKind] = [.backInStock, .priceDrop]
}

/// Where a notification goes. In-app is on by default for every kind.
public enum DeliveryChannel: String, CaseIterable, Sendable {
    case inApp = "IN_APP"
    case email = "EMAIL"

    public func enabledByDefault(for kind: NotificationKind) -> Bool {
        switch self {
        case .inApp: true
        case .email: kind.emailByDefault
        }
    }
}

/// One of a user's choices (or its default).
public struct NotificationPreference: Sendable, Equatable {
    public var kind: NotificationKind
    public var channel: DeliveryChannel
    public var enabled: Bool

    public init(kind: NotificationKind, channel: DeliveryChannel, enabled: Bool) {
        self.kind = kind
        self.channel = channel
        self.enabled = enabled
    }
}
