import EmporiumCore
import Foundation
import Identity

/// The use cases of a user's notifications: reading them, marking them read, watching products
/// and choosing channels. Every one acts on the caller's own data (admins may read anyone's).
public struct NotificationCenter: Sendable {
    let store: any NotificationStore
    let clock: any TimeSource

    /// Page sizes and list lengths a client may ask for.
    public static let pageSizes = 1...100
    public static let maximumIDs = 100
    /// Products one user may watch.
    public static let maximumWatches = 1_000

    public init(store: any NotificationStore, clock: any TimeSource = SystemTimeSource()) {
        self.store = store
        self.clock = clock
    }

    /// `user`'s notifications, for themself or an admin.
    public func notifications(
        of user: UserID, viewer: Principal?, unreadOnly: Bool, first: Int, after cursor: String?
    ) async throws -> (notifications: [UserNotification], nextCursor: String?) {
        try Self.requireSelfOrAdmin(viewer, user)
        let limit = try Self.pageSize(first)
        let before = try cursor.map(Self.offset(fromCursor:))
        // One more than asked says whether a next page exists.
        let rows = try await store.notifications(of: user, unreadOnly: unreadOnly, before: before, limit: limit + 1)
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { Cursor([String($0.offset)]).encoded } : nil
        return (page, next)
    }

    /// What the caller missed after `offset`, oldest first (the realtime gateway's resumption).
    public func missed(after offset: Int, first: Int, viewer: Principal?) async throws -> [UserNotification] {
        let principal = try Permissions.requireAuthenticated(viewer)
        guard offset >= 0 else { throw EmporiumError.badInput("since must be 0 or more", field: "since") }
        return try await store.notifications(of: principal.userID, after: Int64(offset), limit: try Self.pageSize(first))
    }

    public func notification(id text: String, viewer: Principal?) async throws -> UserNotification? {
        let principal = try Permissions.requireAuthenticated(viewer)
        guard let id = UUIDText.parse(text) else { throw EmporiumError.badInput("'\(text.prefix(64))' is not a notification id", field: "id") }
        guard let found = try await store.notification(id: id), found.userID == principal.userID || principal.isAdmin else { return nil }
        return found
    }

    /// Everything kept about `user`, as JSON: the user themself and admins.
    public func personalData(of user: UserID, viewer: Principal?) async throws -> String {
        try Self.requireSelfOrAdmin(viewer, user)
        return try await store.personalData(of: user)
    }

    public func unreadCount(of user: UserID, viewer: Principal?) async throws -> Int {
        try Self.requireSelfOrAdmin(viewer, user)
        return try await store.unreadCount(of: user)
    }

    public func markRead(_ texts: [String], viewer: Principal?) async throws -> Int {
        let principal = try Permissions.requireAuthenticated(viewer)
        guard texts.count <= Self.maximumIDs else {
            throw EmporiumError.badInput("at most \(Self.maximumIDs) ids at a time", field: "ids")
        }
        let ids = try texts.enumerated().map { index, text in
            guard let id = UUIDText.parse(text) else { throw EmporiumError.badInput("'\(text.prefix(64))' is not a notification id", field: "ids.\(index)") }
            return id
        }
        return try await store.markRead(ids, of: principal.userID, at: clock.now())
    }

    public func markAllRead(viewer: Principal?) async throws -> Int {
        let principal = try Permissions.requireAuthenticated(viewer)
        return try await store.markAllRead(of: principal.userID, at: clock.now())
    }

    public func watch(product text: String, kinds: [NotificationKind], viewer: Principal?) async throws -> ProductWatch {
        let principal = try Permissions.requireAuthenticated(viewer)
        let product = try Self.productID(text)
        let chosen = NotificationKind.watchable.filter(kinds.contains)
        guard !chosen.isEmpty, chosen.count == Set(kinds).count else {
            throw EmporiumError.badInput("choose BACK_IN_STOCK, PRICE_DROP or both", field: "kinds")
        }
        guard try await store.productExists(product) else { throw EmporiumError.notFound("no product \(product)") }
        let now = clock.now()
        guard try await store.watch(product, kinds: chosen, by: principal.userID, at: now, limit: Self.maximumWatches) else {
            throw EmporiumError(.conflict, "you watch \(Self.maximumWatches) products already; unwatch one first")
        }
        return ProductWatch(productID: product, kinds: chosen, since: now)
    }

    public func unwatch(product text: String, viewer: Principal?) async throws -> Bool {
        let principal = try Permissions.requireAuthenticated(viewer)
        return try await store.unwatch(try Self.productID(text), by: principal.userID)
    }

    public func watches(of user: UserID, viewer: Principal?) async throws -> [ProductWatch] {
        try Self.requireSelfOrAdmin(viewer, user)
        return try await store.watches(of: user)
    }

    /// What the caller watches each product for; nobody's when anonymous.
    public func watching(_ products: [String], viewer: Principal?) async throws -> [String: [NotificationKind]] {
        guard let viewer else { return [:] }
        return try await store.watching(products, by: viewer.userID)
    }

    /// Every kind and channel with the user's choice or its default.
    public func preferences(of user: UserID, viewer: Principal?) async throws -> [NotificationPreference] {
        try Self.requireSelfOrAdmin(viewer, user)
        let chosen = try await store.preferences(of: user)
        return NotificationKind.allCases.flatMap { kind in
            DeliveryChannel.allCases.map { channel in
                chosen.first { $0.kind == kind && $0.channel == channel }
                    ?? NotificationPreference(kind: kind, channel: channel, enabled: channel.enabledByDefault(for: kind))
            }
        }
    }

    public func setPreference(_ preference: NotificationPreference, viewer: Principal?) async throws -> NotificationPreference {
        let principal = try Permissions.requireAuthenticated(viewer)
        try await store.setPreference(preference, of: principal.userID)
        return preference
    }

    static func requireSelfOrAdmin(_ viewer: Principal?, _ user: UserID) throws {
        _ = try Permissions.requireSelfOrAdmin(viewer, user: user, what: "notifications")
    }

    static func pageSize(_ first: Int) throws -> Int {
        guard pageSizes.contains(first) else {
            throw EmporiumError.badInput("first must be between \(pageSizes.lowerBound) and \(pageSizes.upperBound)", field: "first")
        }
        return first
    }

    static func offset(fromCursor text: String) throws -> Int64 {
        let cursor = try Cursor(decoding: text)
        guard cursor.values.count == 1, let offset = Int64(cursor.values[0]), offset > 0 else {
            throw EmporiumError.badInput("'\(text.prefix(64))' is not a notifications cursor; pass back a nextCursor", field: "after")
        }
        return offset
    }

    static func productID(_ text: String) throws -> String {
        guard let uuid = UUIDText.parse(text) else {
            throw EmporiumError.badInput("'\(text.prefix(64))' is not a product id", field: "productId")
        }
        return UUIDText.lowercase(uuid)
    }
}
