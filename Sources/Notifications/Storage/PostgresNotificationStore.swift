import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// ``NotificationStore`` on PostgreSQL (schema `notifications`).
public struct PostgresNotificationStore: NotificationStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func personalData(of user: UserID) async throws -> String {
        let rows = try await client.query("""
            SELECT jsonb_build_object(
                'recipient', (SELECT jsonb_build_object('email', email, 'language', language) FROM notifications.recipients WHERE user_id = \(user.rawValue)),
                'notifications', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', id, 'kind', kind, 'title', title, 'body', body,
                    'productId', product_id, 'orderId', order_id, 'createdAt', created_at, 'readAt', read_at) ORDER BY "offset")
                    FROM notifications.notifications WHERE user_id = \(user.rawValue)), '[]'::jsonb),
                'watches', COALESCE((SELECT jsonb_agg(jsonb_build_object('productId', product_id, 'kind', kind, 'since', created_at)
                    ORDER BY created_at) FROM notifications.watches WHERE user_id = \(user.rawValue)), '[]'::jsonb),
                'preferences', COALESCE((SELECT jsonb_agg(jsonb_build_object('kind', kind, 'channel', channel, 'enabled', enabled)
                    ORDER BY kind, channel) FROM notifications.preferences WHERE user_id = \(user.rawValue)), '[]'::jsonb),
                'mail', COALESCE((SELECT jsonb_agg(jsonb_build_object('to', to_address, 'subject', subject, 'createdAt', created_at,
                    'sentAt', sent_at) ORDER BY id) FROM notifications.mail_queue WHERE user_id = \(user.rawValue)), '[]'::jsonb)
            )::text
            """, logger: logger).decode(String.self).collectAll()
        return rows.first ?? "{}"
    }

    private typealias Row = (UUID, String, Int64, String, String, String, String?, String?, Date, Date?)
    private static let columns = #"id, user_id, "offset", kind, title, body, product_id, order_id, created_at, read_at"#

    private func read(_ query: PostgresQuery) async throws -> [UserNotification] {
        try await client.query(query, logger: logger).decode(Row.self).collectAll().compactMap { row in
            // A kind this build does not know (written by a newer one) is left out, not a failure.
            NotificationKind(rawValue: row.3).map { kind in
                UserNotification(
                    id: row.0, userID: UserID(row.1), offset: row.2, kind: kind, title: row.4, body: row.5, productID: row.6, orderID: row.7,
                    createdAt: row.8, readAt: row.9)
            }
        }
    }

    public func notifications(of user: UserID, unreadOnly: Bool, before offset: Int64?, limit: Int) async throws -> [UserNotification] {
        let before = offset ?? Int64.max
        if unreadOnly {
            return try await read(PostgresQuery(unsafeSQL: """
                SELECT \(Self.columns) FROM notifications.notifications
                WHERE user_id = $1 AND "offset" < $2 AND read_at IS NULL ORDER BY "offset" DESC LIMIT $3
                """, binds: Self.binds(user.rawValue, before, limit)))
        }
        return try await read(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM notifications.notifications
            WHERE user_id = $1 AND "offset" < $2 ORDER BY "offset" DESC LIMIT $3
            """, binds: Self.binds(user.rawValue, before, limit)))
    }

    public func notifications(of user: UserID, after offset: Int64, limit: Int) async throws -> [UserNotification] {
        try await read(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM notifications.notifications
            WHERE user_id = $1 AND "offset" > $2 ORDER BY "offset" LIMIT $3
            """, binds: Self.binds(user.rawValue, offset, limit)))
    }

    public func notification(id: UUID) async throws -> UserNotification? {
        var binds = PostgresBindings(capacity: 1)
        binds.append(id)
        return try await read(PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM notifications.notifications WHERE id = $1", binds: binds)).first
    }

    private static func binds(_ user: String, _ offset: Int64, _ limit: Int) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 3)
        binds.append(user)
        binds.append(offset)
        binds.append(limit)
        return binds
    }

    public func unreadCount(of user: UserID) async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*)::integer FROM notifications.notifications WHERE user_id = \(user.rawValue) AND read_at IS NULL", logger: logger
        ).decode(Int.self).collectAll()
        return rows.first ?? 0
    }

    public func lastOffset(of user: UserID) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT last_offset FROM notifications.recipients WHERE user_id = \(user.rawValue)", logger: logger
        ).decode(Int64.self).collectAll()
        return rows.first ?? 0
    }

    public func markRead(_ ids: [UUID], of user: UserID, at date: Date) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await client.query("""
            UPDATE notifications.notifications SET read_at = \(date)
            WHERE user_id = \(user.rawValue) AND id = ANY(\(ids)) AND read_at IS NULL RETURNING 1
            """, logger: logger).collectAll().count
    }

    public func markAllRead(of user: UserID, at date: Date) async throws -> Int {
        try await client.query("""
            UPDATE notifications.notifications SET read_at = \(date) WHERE user_id = \(user.rawValue) AND read_at IS NULL RETURNING 1
            """, logger: logger).collectAll().count
    }

    public func productExists(_ id: String) async throws -> Bool {
        try await !client.query("SELECT 1 FROM notifications.products WHERE product_id = \(id)", logger: logger).collectAll().isEmpty
    }

    public func watch(_ product: String, kinds: [NotificationKind], by user: UserID, at date: Date, limit: Int) async throws -> Bool {
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            // The user's watches are counted under a lock on their recipient row, so two
            // concurrent watches cannot both pass the limit.
            try await connection.query("""
                INSERT INTO notifications.recipients (user_id) VALUES (\(user.rawValue)) ON CONFLICT (user_id) DO NOTHING
                """, logger: logger)
            try await connection.query("SELECT 1 FROM notifications.recipients WHERE user_id = \(user.rawValue) FOR UPDATE", logger: logger)
            let watched = try await connection.query("""
                SELECT count(DISTINCT product_id)::integer FROM notifications.watches WHERE user_id = \(user.rawValue) AND product_id <> \(product)
                """, logger: logger).decode(Int.self).collectAll().first ?? 0
            guard watched < limit else { return false }
            try await connection.query("""
                DELETE FROM notifications.watches WHERE user_id = \(user.rawValue) AND product_id = \(product)
                """, logger: logger)
            try await connection.query("""
                INSERT INTO notifications.watches (product_id, kind, user_id, created_at)
                SELECT \(product), k, \(user.rawValue), \(date) FROM unnest(\(kinds.map(\.rawValue))::text[]) AS k
                """, logger: logger)
            return true
        }
    }

    public func unwatch(_ product: String, by user: UserID) async throws -> Bool {
        try await !client.query("""
            DELETE FROM notifications.watches WHERE user_id = \(user.rawValue) AND product_id = \(product) RETURNING 1
            """, logger: logger).collectAll().isEmpty
    }

    public func watches(of user: UserID) async throws -> [ProductWatch] {
        let rows = try await client.query("""
            SELECT product_id, array_agg(kind ORDER BY kind), min(created_at) FROM notifications.watches
            WHERE user_id = \(user.rawValue) GROUP BY product_id ORDER BY min(created_at) DESC, product_id
            """, logger: logger).decode((String, [String], Date).self).collectAll()
        return rows.map { ProductWatch(productID: $0.0, kinds: $0.1.compactMap(NotificationKind.init(rawValue:)), since: $0.2) }
    }

    public func watching(_ products: [String], by user: UserID) async throws -> [String: [NotificationKind]] {
        guard !products.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT product_id, array_agg(kind ORDER BY kind) FROM notifications.watches
            WHERE user_id = \(user.rawValue) AND product_id = ANY(\(products)) GROUP BY product_id
            """, logger: logger).decode((String, [String]).self).collectAll()
        return Dictionary(rows.map { ($0.0, $0.1.compactMap(NotificationKind.init(rawValue:))) }, uniquingKeysWith: { first, _ in first })
    }

    public func preferences(of user: UserID) async throws -> [NotificationPreference] {
        let rows = try await client.query("""
            SELECT kind, channel, enabled FROM notifications.preferences WHERE user_id = \(user.rawValue)
            """, logger: logger).decode((String, String, Bool).self).collectAll()
        return rows.compactMap { row in
            guard let kind = NotificationKind(rawValue: row.0), let channel = DeliveryChannel(rawValue: row.1) else { return nil }
            return NotificationPreference(kind: kind, channel: channel, enabled: row.2)
        }
    }

    public func setPreference(_ preference: NotificationPreference, of user: UserID) async throws {
        try await client.query("""
            INSERT INTO notifications.preferences (user_id, kind, channel, enabled)
            VALUES (\(user.rawValue), \(preference.kind.rawValue), \(preference.channel.rawValue), \(preference.enabled))
            ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = excluded.enabled
            """, logger: logger)
    }
}
