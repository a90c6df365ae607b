import EmporiumCore
import Foundation

/// Reading and acting on a user's notifications, watches and choices.
public protocol NotificationStore: Sendable {
    /// Newest first, before `offset` when given.
    func notifications(of user: UserID, unreadOnly: Bool, before offset: Int64?, limit: Int) async throws -> [UserNotification]
    /// Oldest first, after `offset`: what a reconnecting client missed.
    func notifications(of user: UserID, after offset: Int64, limit: Int) async throws -> [UserNotification]
    func notification(id: UUID) async throws -> UserNotification?
    func unreadCount(of user: UserID) async throws -> Int
    /// The user's last offset (0 when they have none yet).
    func lastOffset(of user: UserID) async throws -> Int64
    /// Marks the user's own notifications among `ids`; the number newly marked.
    func markRead(_ ids: [UUID], of user: UserID, at date: Date) async throws -> Int
    func markAllRead(of user: UserID, at date: Date) async throws -> Int

    /// Whether the product is known here (from the catalog's events).
    func productExists(_ id: String) async throws -> Bool
    /// Replaces the user's watch of `product` with `kinds`; false when they watch too many products.
    func watch(_ product: String, kinds: [NotificationKind], by user: UserID, at date: Date, limit: Int) async throws -> Bool
    func unwatch(_ product: String, by user: UserID) async throws -> Bool
    func watches(of user: UserID) async throws -> [ProductWatch]
    /// The kinds `user` watches each of `products` for (absent: not watched).
    func watching(_ products: [String], by user: UserID) async throws -> [String: [NotificationKind]]

    /// Only what the user changed; defaults are the caller's.
    func preferences(of user: UserID) async throws -> [NotificationPreference]
    /// Everything kept about `user` (address, language, notifications, watches, choices, mail),
    /// as one JSON document.
    func personalData(of user: UserID) async throws -> String
    func setPreference(_ preference: NotificationPreference, of user: UserID) async throws
}
