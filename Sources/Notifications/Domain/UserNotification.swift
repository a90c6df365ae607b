import EmporiumCore
import Foundation

/// A notification as its recipient reads it.
public struct UserNotification: Sendable, Equatable {
    public let id: UUID
    public let userID: UserID
    /// Its place in the user's sequence (1, 2, 3, …, no gaps): what `since` counts.
    public let offset: Int64
    public let kind: NotificationKind
    public let title: String
    public let body: String
    public let productID: String?
    public let orderID: String?
    public let createdAt: Date
    public let readAt: Date?

    public init(
        id: UUID, userID: UserID, offset: Int64, kind: NotificationKind, title: String, body: String, productID: String?, orderID: String?,
        createdAt: Date, readAt: Date?
    ) {
        self.id = id
        self.userID = userID
        self.offset = offset
        self.kind = kind
        self.title = title
        self.body = body
        self.productID = productID
        self.orderID = orderID
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// A user's watch of a product.
public struct ProductWatch: Sendable, Equatable {
    public let productID: String
    public let kinds: [NotificationKind]
    public let since: Date

    public init(productID: String, kinds: [NotificationKind], since: Date) {
        self.productID = productID
        self.kinds = kinds
        self.since = since
    }
}

/// A notification that was written: whom to push it to, and where it sits in their sequence.
public struct DeliveredNotification: Sendable, Equatable {
    public let userID: UserID
    public let offset: Int64
    public let id: UUID
}
