import Foundation

/// A new account. Notifications read the language of a user's messages from it.
public struct UserRegistered: IntegrationEvent {
    public static let eventType = "UserRegistered"
    public static let schemaVersion = 1
    public static let topic = Topics.usersAccount
    public var userId: String
    public var email: String
    public var displayName: String
    /// `ru` or `en`.
    public var language: String
    public var aggregateID: String { userId }

    public init(userId: String, email: String, displayName: String, language: String) {
        self.userId = userId
        self.email = email
        self.displayName = displayName
        self.language = language
    }
    enum CodingKeys: String, CodingKey { case userId, email, displayName, language }
}

/// A user opened a shop and became a seller.
public struct SellerActivated: IntegrationEvent {
    public static let eventType = "SellerActivated"
    public static let schemaVersion = 1
    public static let topic = Topics.usersAccount
    public var userId: String
    public var shopName: String
    public var slug: String
    public var aggregateID: String { userId }

    public init(userId: String, shopName: String, slug: String) {
        self.userId = userId
        self.shopName = shopName
        self.slug = slug
    }
    enum CodingKeys: String, CodingKey { case userId, shopName, slug }
}

/// An account was deleted: its personal data is gone; services that keep copies (notifications'
/// addresses, say) drop theirs.
public struct UserDeleted: IntegrationEvent {
    public static let eventType = "UserDeleted"
    public static let schemaVersion = 1
    public static let topic = Topics.usersAccount
    public var userId: String
    public var aggregateID: String { userId }

    public init(userId: String) {
        self.userId = userId
    }
    enum CodingKeys: String, CodingKey { case userId }
}

/// An admin suspended an account (its sessions ended with it).
public struct UserSuspended: IntegrationEvent {
    public static let eventType = "UserSuspended"
    public static let schemaVersion = 1
    public static let topic = Topics.usersAccount
    public var userId: String
    public var reason: String
    public var aggregateID: String { userId }

    public init(userId: String, reason: String) {
        self.userId = userId
        self.reason = reason
    }
    enum CodingKeys: String, CodingKey { case userId, reason }
}

/// An account's address changed (confirmed from the new address). Services that mail the user
/// (notifications) write to the new one from now on.
public struct UserEmailChanged: IntegrationEvent {
    public static let eventType = "UserEmailChanged"
    public static let schemaVersion = 1
    public static let topic = Topics.usersAccount
    public var userId: String
    public var email: String
    public var aggregateID: String { userId }

    public init(userId: String, email: String) {
        self.userId = userId
        self.email = email
    }
    enum CodingKeys: String, CodingKey { case userId, email }
}

/// A user chose another language for notifications and mail (`ru` or `en`).
public struct UserLocaleChanged: IntegrationEvent {
    public static let eventType = "UserLocaleChanged"
    public static let schemaVersion = 1
    public static let topic = Topics.usersAccount
    public var userId: String
    public var language: String
    public var aggregateID: String { userId }

    public init(userId: String, language: String) {
        self.userId = userId
        self.language = language
    }
    enum CodingKeys: String, CodingKey { case userId, language }
}
