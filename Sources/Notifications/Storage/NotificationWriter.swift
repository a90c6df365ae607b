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
    }

    static func deliver(
        _ message: NotificationMessage, to recipients: Recipients, at date: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> [DeliveredNotification] {
        var binds = PostgresBindings(capacity: 11)
        let targets: String
        switch recipients {
        case .users(let ids):
            guard !ids.isEmpty else { return [] }
            binds.append(Array(Set(ids.map(\.rawValue))))
            targets = "SELECT DISTINCT unnest($1::text[]) AS user_id"
        case .watchers(let product):
            binds.append(product)
            targets = "SELECT user_id FROM notifications.watches WHERE product_id = $1 AND kind = $2"
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
        // One statement writes the in-app notifications and queues their emails. The mail part
        // reads recipients as they were before the statement: `numbered` only adds recipients
        // without an address and counts offsets, so it would not change what is mailed.
        let notify = PostgresQuery(unsafeSQL: """
            WITH targets AS (\(targets)),
            allowed AS (
                SELECT t.user_id FROM targets t
                WHERE NOT EXISTS (
                    SELECT 1 FROM notifications.preferences p
                    WHERE p.user_id = t.user_id AND p.kind = $2 AND p.channel = 'IN_APP' AND NOT p.enabled)
            ),
            numbered AS (
                INSERT INTO notifications.recipients AS r (user_id, last_offset) SELECT user_id, 1 FROM allowed
                ON CONFLICT (user_id) DO UPDATE SET last_offset = r.last_offset + 1
                RETURNING r.user_id, r.last_offset, r.language
            ),
            mailed AS (
                INSERT INTO notifications.mail_queue (user_id, to_address, subject, body, created_at, next_attempt_at)
                SELECT r.user_id, r.email,
                       CASE r.language WHEN 'en' THEN $4 ELSE $3 END, CASE r.language WHEN 'en' THEN $6 ELSE $5 END, $9, $9
                FROM targets t JOIN notifications.recipients r ON r.user_id = t.user_id
                WHERE r.email IS NOT NULL
                  AND coalesce((SELECT p.enabled FROM notifications.preferences p
                                WHERE p.user_id = t.user_id AND p.kind = $2 AND p.channel = 'EMAIL'), $10)
            )
            INSERT INTO notifications.notifications (user_id, "offset", id, kind, title, body, product_id, order_id, created_at)
            SELECT n.user_id, n.last_offset, gen_random_uuid(), $2,
                   CASE n.language WHEN 'en' THEN $4 ELSE $3 END, CASE n.language WHEN 'en' THEN $6 ELSE $5 END,
                   $7, $8, $9
            FROM numbered n
            RETURNING user_id, "offset", id
            """, binds: binds)
        let rows = try await connection.query(notify, logger: logger).decode((String, Int64, UUID).self).collectAll()
        return rows.map { DeliveredNotification(userID: UserID($0.0), offset: $0.1, id: $0.2) }
    }
}
