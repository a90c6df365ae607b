import Contracts
import Database
import EmporiumCore
import Foundation
import Logging
import Messaging
import PostgresNIO

/// ``MailTokenStore`` on PostgreSQL (schema `users`).
public struct PostgresMailTokenStore: MailTokenStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func issue(
        hash: [UInt8], user: UserID, email: Email, purpose: MailTokenPurpose, newEmail: Email? = nil, at date: Date, expiresAt: Date
    ) async throws {
        guard let id = UUIDText.parse(user.rawValue) else { return }
        try await client.query("""
            INSERT INTO users.mail_tokens (token_hash, user_id, purpose, email, new_email, issued_at, expires_at)
            VALUES (\(ByteBuffer(bytes: hash)), \(id), \(purpose.rawValue), \(email.rawValue), \(newEmail?.rawValue), \(date), \(expiresAt))
            """, logger: logger)
    }

    public func redeem(hash: [UInt8], purpose: MailTokenPurpose, at date: Date) async throws -> UserID? {
        // One statement: two redemptions of one token cannot both succeed.
        let rows = try await client.query("""
            UPDATE users.mail_tokens t SET used_at = \(date)
            FROM users.users u
            WHERE t.token_hash = \(ByteBuffer(bytes: hash)) AND t.purpose = \(purpose.rawValue) AND t.used_at IS NULL
              AND t.expires_at > \(date) AND u.id = t.user_id AND u.email = t.email
            RETURNING t.user_id
            """, logger: logger).decode(UUID.self).collectAll()
        return rows.first.map { UserID(UUIDText.lowercase($0)) }
    }

    public func changeEmail(hash: [UInt8], at date: Date) async throws -> EmailChange? {
        let logger = logger
        do {
            return try await client.transaction(logger: logger) { connection in
                // Redeemed like any mailed token (once, in time, for the address the account
                // still has), then the move and its event commit with it.
                let rows = try await connection.query("""
                    UPDATE users.mail_tokens t SET used_at = \(date)
                    FROM users.users u
                    WHERE t.token_hash = \(ByteBuffer(bytes: hash)) AND t.purpose = 'email_change' AND t.used_at IS NULL
                      AND t.expires_at > \(date) AND u.id = t.user_id AND u.email = t.email
                    RETURNING t.user_id, t.new_email, t.email
                    """, logger: logger).decode((UUID, String, String).self).collectAll()
                guard let (id, newEmail, previous) = rows.first, let previousEmail = try? Email(parsing: previous) else { return nil }
                try await connection.query(
                    "UPDATE users.users SET email = \(newEmail), email_verified_at = \(date) WHERE id = \(id)", logger: logger)
                // Tokens mailed to the old address are void now (their address no longer matches).
                let user = UserID(UUIDText.lowercase(id))
                try await PostgresUserStore.outbox.append(
                    [try EventEnvelope(UserEmailChanged(userId: user.rawValue, email: newEmail), occurredAt: date)], on: connection, logger: logger)
                return EmailChange(user: user, previousEmail: previousEmail)
            }
        } catch let error where PostgresErrors.sqlState(of: error) == PostgresErrors.uniqueViolation {
            throw EmporiumError(.conflict, "another account took this address meanwhile")
        }
    }

    public func markEmailVerified(_ user: UserID, at date: Date) async throws {
        guard let id = UUIDText.parse(user.rawValue) else { return }
        try await client.query("UPDATE users.users SET email_verified_at = COALESCE(email_verified_at, \(date)) WHERE id = \(id)", logger: logger)
    }
}
