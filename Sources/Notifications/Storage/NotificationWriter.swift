import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// Writes notifications on a caller's connection (an event handler's transaction, so the
/// notifications commit with the record that the event was handled).
///
/// One statement per message, whatever the number of recipients: a price drop watched by
/// 100,000 users is one INSERT … SELECT that numbers each user's notification from their
/// `recipients.last_offset` and queues the mails in the same statement (docs/notifications.md).
enum NotificationWriter {
    /// Who receives a message.
    enum Recipients {
        /// These users (duplicates are told once).
        case users([UserID])
        /// Everyone watching `product` for the message's kind.
        case watchers(product: String)

        var users: [UserID]? {
            if case .users(let ids) = self { ids } else { nil }
        }
    }

    static func deliver(
        _ message: NotificationMessage, to recipients: Recipients, at date: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> [DeliveredNotification] {
        var binds = PostgresBindings(capacity: 10)
        let distinct = recipients.users.map { Array(Set($0.map(\.rawValue))) }
        switch recipients {
        case .users:
            guard let distinct, !distinct.isEmpty else { return [] }
            if distinct.count == 1 { binds.append(distinct[0]) } else { binds.append(distinct) }
        case .watchers(let product):
            binds.append(product)
        }
        binds.append(message.kind.rawValue)  // $2
        binds.append(message.russian.title)  // $3
        binds.append(message.english.title)  // $4
        binds.append(message.russian.body)  // $5
        binds.append(message.english.body)  // $6
        binds.append(message.productID)  // $7
        binds.append(message.orderID)  // $8
        binds.append(date)  // $9
        binds.append(message.kind.emailByDefault)  // $10
        let rows = switch recipients {
        case .users where distinct?.count == 1: try await connection.run(ToUser.self, binds, logger: logger)
        case .users: try await connection.run(ToUsers.self, binds, logger: logger)
        case .watchers: try await connection.run(ToWatchers.self, binds, logger: logger)
        }
        var delivered: [(String, Int64, UUID)] = []
        for try await row in rows { delivered.append(try row.decode((String, Int64, UUID).self)) }
        return delivered.map { DeliveredNotification(userID: UserID($0.0), offset: $0.1, id: $0.2) }
    }

    /// A message to user `$1`: the usual case, and one PostgreSQL can plan once. An array's
    /// length is unknown to a generic plan, so a statement over `unnest($1)` is planned again on
    /// every call.
    enum ToUser: PreparedSQL {
        static let name = "notifications_to_user"
        static let sql = statement(targets: "SELECT $1::text AS user_id")
    }

    /// A message to the users in `$1`.
    enum ToUsers: PreparedSQL {
        static let name = "notifications_to_users"
        static let sql = statement(targets: "SELECT DISTINCT unnest($1::text[]) AS user_id")
    }

    /// A message to the watchers of product `$1` for its kind.
    enum ToWatchers: PreparedSQL {
        static let name = "notifications_to_watchers"
        static let sql = statement(targets: "SELECT user_id FROM notifications.watches WHERE product_id = $1::text AND kind = $2::text")
    }

    /// One statement writes the in-app notifications and queues their emails. The mail part
    /// reads recipients as they were before the statement: `numbered` only adds recipients
    /// without an address and counts offsets, so it would not change what is mailed. Prepared:
    /// planning it cost PostgreSQL more than running it.
    private static func statement(targets: String) -> String {
        """
        WITH targets AS (\(targets)),
        allowed AS (
            SELECT t.user_id FROM targets t
            WHERE NOT EXISTS (
                SELECT 1 FROM notifications.preferences p
                WHERE p.user_id = t.user_id AND p.kind = $2::text AND p.channel = 'IN_APP' AND NOT p.enabled)
        ),
        numbered AS (
            INSERT INTO notifications.recipients AS r (user_id, last_offset) SELECT user_id, 1 FROM allowed
            ON CONFLICT (user_id) DO UPDATE SET last_offset = r.last_offset + 1
            RETURNING r.user_id, r.last_offset, r.language
        ),
        mailed AS (
            INSERT INTO notifications.mail_queue (user_id, to_address, subject, body, created_at, next_attempt_at)
            SELECT r.user_id, r.email,
                   CASE r.language WHEN 'en' THEN $4::text ELSE $3::text END, CASE r.language WHEN 'en' THEN $6::text ELSE $5::text END,
                   $9::timestamptz, $9::timestamptz
            FROM targets t JOIN notifications.recipients r ON r.user_id = t.user_id
            WHERE r.email IS NOT NULL
              AND coalesce((SELECT p.enabled FROM notifications.preferences p
                            WHERE p.user_id = t.user_id AND p.kind = $2::text AND p.channel = 'EMAIL'), $10::boolean)
        )
        INSERT INTO notifications.notifications (user_id, "offset", id, kind, title, body, product_id, order_id, created_at)
        SELECT n.user_id, n.last_offset, gen_random_uuid(), $2::text,
               CASE n.language WHEN 'en' THEN $4::text ELSE $3::text END, CASE n.language WHEN 'en' THEN $6::text ELSE $5::text END,
               $7::text, $8::text, $9::timestamptz
        FROM numbered n
        RETURNING user_id, "offset", id
        """
    }
}
