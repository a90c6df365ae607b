import Contracts
import Database
import EmporiumCore
import Foundation
import Identity
import Logging
import Messaging
import PostgresNIO

/// ``UserStore`` on PostgreSQL (schema `users`).
public struct PostgresUserStore: UserStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let outbox = Outbox(schema: "users")

    static let columns = "id, email, display_name, roles, locale, created_at, password_hash, email_verified_at, suspended_at"
    typealias Row = (UUID, String, String, [String], String, Date, String, Date?, Date?)

    public func create(_ user: User, passwordHash: String) async throws -> User {
        guard let id = UUIDText.parse(user.id.rawValue) else { throw EmporiumError(.internalError, "user ids are UUIDs") }
        let roles = user.roles.map(\.rawValue).sorted()
        do {
            let logger = logger
            // The account and its UserRegistered event commit together (the outbox).
            return try await client.transaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    INSERT INTO users.users (id, email, display_name, password_hash, roles, locale, password_changed_at, created_at)
                    VALUES (\(id), \(user.email.rawValue), \(user.displayName), \(passwordHash), \(roles), \(user.locale.rawValue), \(user.createdAt), \(user.createdAt))
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger).decode(Row.self).collectAll()
                guard let row = rows.first else { throw EmporiumError(.internalError, "an inserted account was not returned") }
                let created = try Self.user(row)
                let event = UserRegistered(
                    userId: created.id.rawValue, email: created.email.rawValue, displayName: created.displayName, language: created.locale.rawValue)
                try await Self.outbox.append([try EventEnvelope(event, occurredAt: created.createdAt)], on: connection, logger: logger)
                return created
            }
        } catch let error where PostgresErrors.sqlState(of: error) == PostgresErrors.uniqueViolation {
            throw EmporiumError(.conflict, "an account with this email already exists; log in or reset the password", field: "input.email")
        }
    }

    public func credentials(email: Email) async throws -> (user: User, passwordHash: String)? {
        try await fetch("SELECT \(unescaped: Self.columns) FROM users.users WHERE email = \(email.rawValue)").first
    }

    public func credentials(id: UserID) async throws -> (user: User, passwordHash: String)? {
        guard let uuid = UUIDText.parse(id.rawValue) else { return nil }
        return try await fetch("SELECT \(unescaped: Self.columns) FROM users.users WHERE id = \(uuid)").first
    }

    public func users(ids: [UserID]) async throws -> [UserID: User] {
        let uuids = ids.compactMap { UUIDText.parse($0.rawValue) }
        guard !uuids.isEmpty else { return [:] }
        let rows = try await fetch("SELECT \(unescaped: Self.columns) FROM users.users WHERE id = ANY(\(uuids))")
        return Dictionary(rows.map { ($0.user.id, $0.user) }, uniquingKeysWith: { first, _ in first })
    }

    public func setPasswordHash(_ hash: String, for id: UserID, at date: Date) async throws {
        guard let uuid = UUIDText.parse(id.rawValue) else { return }
        try await client.query("UPDATE users.users SET password_hash = \(hash), password_changed_at = \(date) WHERE id = \(uuid)", logger: logger)
    }

    public func setLocale(_ locale: UserLocale, for id: UserID, at date: Date) async throws -> User? {
        guard let uuid = UUIDText.parse(id.rawValue) else { return nil }
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            // Locked, so that two racing changes each announce a change from what they saw.
            let before = try await connection.query(
                "SELECT locale FROM users.users WHERE id = \(uuid) AND cardinality(roles) > 0 FOR UPDATE", logger: logger
            ).decode(String.self).collectAll()
            guard let previous = before.first else { return nil }
            let rows = try await connection.query(
                "UPDATE users.users SET locale = \(locale.rawValue) WHERE id = \(uuid) RETURNING \(unescaped: Self.columns)", logger: logger
            ).decode(Row.self).collectAll()
            guard let row = rows.first else { return nil }
            if previous != locale.rawValue {
                try await Self.outbox.append(
                    [try EventEnvelope(UserLocaleChanged(userId: id.rawValue, language: locale.rawValue), occurredAt: date)], on: connection, logger: logger)
            }
            return try Self.user(row)
        }
    }

    public func erase(_ id: UserID, at date: Date) async throws {
        guard let uuid = UUIDText.parse(id.rawValue) else { return }
        let logger = logger
        // A unique address nobody can own (`.invalid` is reserved, RFC 2606).
        let placeholder = "deleted-\(UUIDText.lowercase(uuid))@deleted.invalid"
        try await client.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE users.users SET email = \(placeholder), display_name = 'Deleted user', password_hash = '!', roles = '{}',
                    email_verified_at = NULL, suspended_at = \(date), suspension_reason = 'deleted'
                WHERE id = \(uuid)
                """, logger: logger)
            try await connection.query(
                "UPDATE users.sessions SET ended_at = \(date), end_reason = 'account deleted' WHERE user_id = \(uuid) AND ended_at IS NULL", logger: logger)
            try await connection.query("DELETE FROM users.sellers WHERE user_id = \(uuid)", logger: logger)
            try await connection.query("DELETE FROM users.mail_tokens WHERE user_id = \(uuid)", logger: logger)
            try await Self.outbox.append([try EventEnvelope(UserDeleted(userId: id.rawValue), occurredAt: date)], on: connection, logger: logger)
        }
    }

    public func export(_ id: UserID) async throws -> String? {
        guard let uuid = UUIDText.parse(id.rawValue) else { return nil }
        // Built by PostgreSQL: every table that keeps something about the user, in one document.
        // Credentials (the password hash, token hashes) are not the user's data to take away.
        let rows = try await client.query("""
            SELECT jsonb_build_object(
                'account', (SELECT jsonb_build_object('id', id, 'email', email, 'displayName', display_name, 'roles', roles,
                    'language', locale, 'createdAt', created_at, 'emailVerifiedAt', email_verified_at, 'suspendedAt', suspended_at,
                    'suspensionReason', suspension_reason) FROM users.users WHERE id = \(uuid)),
                'shop', (SELECT jsonb_build_object('shopName', shop_name, 'slug', slug, 'since', since) FROM users.sellers WHERE user_id = \(uuid)),
                'sessions', COALESCE((SELECT jsonb_agg(jsonb_build_object('startedAt', started_at, 'endedAt', ended_at, 'endReason', end_reason)
                    ORDER BY started_at) FROM users.sessions WHERE user_id = \(uuid)), '[]'::jsonb),
                'adminActions', COALESCE((SELECT jsonb_agg(jsonb_build_object('action', action, 'detail', detail, 'at', at) ORDER BY id)
                    FROM users.audit_log WHERE subject_id = \(uuid)), '[]'::jsonb)
            )::text
            """, logger: logger).decode(String.self).collectAll()
        return rows.first
    }

    private func fetch(_ query: PostgresQuery) async throws -> [(user: User, passwordHash: String)] {
        var found: [(user: User, passwordHash: String)] = []
        for try await row in try await client.query(query, logger: logger).decode(Row.self) {
            found.append((try Self.user(row), row.6))
        }
        return found
    }

    static func user(_ row: Row) throws -> User {
        let stored = EmporiumError(.internalError, "a stored account is malformed")
        guard let locale = UserLocale(rawValue: row.4), let email = try? Email(parsing: row.1) else { throw stored }
        var roles = Set<Role>()
        for name in row.3 {
            guard let role = Role(rawValue: name) else { throw stored }
            roles.insert(role)
        }
        return User(
            id: UserID(UUIDText.lowercase(row.0)), email: email, displayName: row.2, roles: roles, locale: locale, createdAt: row.5,
            emailVerifiedAt: row.7, suspendedAt: row.8)
    }
}
