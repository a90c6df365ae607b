import Contracts
import Database
import EmporiumCore
import Logging
import PostgresNIO

/// What notifications keep of other services' data, updated from their events on the handler's
/// connection: products (title, seller, price) and recipients (address, language).
enum NotificationProjections {
    /// Applies a catalog snapshot unless a newer one is already kept (events of one product
    /// arrive in order, but a replay may bring an old one).
    static func apply(_ product: ProductSnapshot, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO notifications.products AS p (product_id, seller_id, title, price_amount, currency, version)
            VALUES (\(product.productId), \(product.sellerId), \(product.title), \(product.price.amount), \(product.price.currency), \(product.version))
            ON CONFLICT (product_id) DO UPDATE SET
                seller_id = excluded.seller_id, title = excluded.title, price_amount = excluded.price_amount,
                currency = excluded.currency, version = excluded.version
            WHERE p.version < excluded.version
            """, logger: logger)
    }

    /// Records a new price; true when it is newer than the one kept (or none was).
    static func applyPrice(_ change: PriceChanged, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE notifications.products SET price_amount = \(change.price.amount), currency = \(change.price.currency), version = \(change.version)
            WHERE product_id = \(change.productId) AND version < \(change.version)
            RETURNING 1
            """, logger: logger).collectAll()
        if !rows.isEmpty { return true }
        let known = try await connection.query("SELECT 1 FROM notifications.products WHERE product_id = \(change.productId)", logger: logger).collectAll()
        return known.isEmpty
    }

    struct ProductFacts: Sendable {
        let title: String
        let sellerID: String
    }

    static func product(_ id: String, on connection: PostgresConnection, logger: Logger) async throws -> ProductFacts? {
        let rows = try await connection.query(
            "SELECT title, seller_id FROM notifications.products WHERE product_id = \(id)", logger: logger
        ).decode((String, String).self).collectAll()
        return rows.first.map { ProductFacts(title: $0.0, sellerID: $0.1) }
    }

    static func recordRecipient(_ user: UserRegistered, on connection: PostgresConnection, logger: Logger) async throws {
        let language = user.language == "en" ? "en" : "ru"
        try await connection.query("""
            INSERT INTO notifications.recipients (user_id, email, language) VALUES (\(user.userId), \(user.email), \(language))
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, language = excluded.language
            """, logger: logger)
    }

    /// A confirmed new address. A user this service never heard of is kept with it (in Russian
    /// until told otherwise).
    static func recordAddress(of user: String, email: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO notifications.recipients (user_id, email) VALUES (\(user), \(email))
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email
            """, logger: logger)
    }

    /// The language of the user's notifications and mail from now on (`ru` unless `en`).
    static func recordLanguage(of user: String, language: String, on connection: PostgresConnection, logger: Logger) async throws {
        let language = language == "en" ? "en" : "ru"
        try await connection.query("""
            INSERT INTO notifications.recipients (user_id, language) VALUES (\(user), \(language))
            ON CONFLICT (user_id) DO UPDATE SET language = excluded.language
            """, logger: logger)
    }

    /// Erases what is kept about a deleted account: its notifications, watches, choices, unsent
    /// mail and address.
    static func forget(_ user: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM notifications.notifications WHERE user_id = \(user)", logger: logger)
        try await connection.query("DELETE FROM notifications.watches WHERE user_id = \(user)", logger: logger)
        try await connection.query("DELETE FROM notifications.preferences WHERE user_id = \(user)", logger: logger)
        try await connection.query("DELETE FROM notifications.mail_queue WHERE user_id = \(user)", logger: logger)
        try await connection.query("DELETE FROM notifications.recipients WHERE user_id = \(user)", logger: logger)
    }
}
