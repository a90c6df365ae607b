import Contracts
import Database
import EmporiumCore
import Foundation
import Identity
import Logging
import Messaging
import PostgresNIO

/// ``AdminStore`` on PostgreSQL (schema `users`).
public struct PostgresAdminStore: AdminStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func setRoles(_ roles: Set<Role>, of user: UserID, by actor: String, at date: Date) async throws -> User? {
        let names = roles.map(\.rawValue).sorted()
        return try await change(user, action: "set_roles", detail: names.joined(separator: ","), by: actor, at: date) { id, connection in
            try await connection.query("UPDATE users.users SET roles = \(names) WHERE id = \(id)", logger: logger)
        }
    }

    public func suspend(_ user: UserID, reason: String, by actor: String, at date: Date) async throws -> User? {
        try await change(user, action: "suspend", detail: reason, by: actor, at: date) { id, connection in
            try await connection.query("UPDATE users.users SET suspended_at = \(date), suspension_reason = \(reason) WHERE id = \(id)", logger: logger)
            try await connection.query(
                "UPDATE users.sessions SET ended_at = \(date), end_reason = 'suspended' WHERE user_id = \(id) AND ended_at IS NULL", logger: logger)
            try await PostgresUserStore.outbox.append(
                [try EventEnvelope(UserSuspended(userId: user.rawValue, reason: reason), occurredAt: date)], on: connection, logger: logger)
        }
    }

    public func reinstate(_ user: UserID, by actor: String, at date: Date) async throws -> User? {
        try await change(user, action: "reinstate", detail: "", by: actor, at: date) { id, connection in
            try await connection.query("UPDATE users.users SET suspended_at = NULL, suspension_reason = NULL WHERE id = \(id)", logger: logger)
        }
    }

    /// Runs `update` on an existing user and logs it, in one transaction; nil when no such user.
    private func change(
        _ user: UserID, action: String, detail: String, by actor: String, at date: Date,
        _ update: @escaping @Sendable (UUID, PostgresConnection) async throws -> Void
    ) async throws -> User? {
        guard let id = UUIDText.parse(user.rawValue) else { return nil }
        let logger = logger
        let changed: Bool = try await client.transaction(logger: logger) { connection in
            let found = try await connection.query("SELECT 1 FROM users.users WHERE id = \(id) FOR UPDATE", logger: logger).decode(Int.self).collectAll()
            guard !found.isEmpty else { return false }
            try await update(id, connection)
            try await connection.query("""
                INSERT INTO users.audit_log (actor, action, subject_id, detail, at) VALUES (\(actor), \(action), \(id), \(detail), \(date))
                """, logger: logger)
            return true
        }
        guard changed else { return nil }
        return try await PostgresUserStore(client: client, logger: logger).credentials(id: user)?.user
    }

    public func users(first: Int, after: (createdAt: Date, id: UserID)?, query: String?) async throws -> [User] {
        var bindings = PostgresBindings()
        var conditions: [String] = []
        if let after, let id = UUIDText.parse(after.id.rawValue) {
            bindings.append(after.createdAt)
            bindings.append(id)
            conditions.append("(created_at, id) < ($\(bindings.count - 1), $\(bindings.count))")
        }
        if let query, !query.isEmpty {
            // A prefix match with LIKE's own characters escaped: the client's text is data.
            let escaped = query.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            bindings.append(escaped + "%")
            conditions.append("(email LIKE $\(bindings.count) OR lower(display_name) LIKE $\(bindings.count))")
        }
        bindings.append(Int64(first))
        let sql = "SELECT \(PostgresUserStore.columns) FROM users.users"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY created_at DESC, id DESC LIMIT $\(bindings.count)"
        var found: [User] = []
        for try await row in try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).decode(PostgresUserStore.Row.self) {
            found.append(try PostgresUserStore.user(row))
        }
        return found
    }

    public func auditLog(first: Int, after: Int64?) async throws -> [AuditEntry] {
        let rows = try await client.query("""
            SELECT id, actor, action, subject_id, detail, at FROM users.audit_log
            WHERE id < \(after ?? Int64.max) ORDER BY id DESC LIMIT \(Int64(first))
            """, logger: logger).decode((Int64, String, String, UUID?, String, Date).self).collectAll()
        return rows.map { AuditEntry(id: $0.0, actor: $0.1, action: $0.2, subject: $0.3.map { UserID(UUIDText.lowercase($0)) }, detail: $0.4, at: $0.5) }
    }

    /// `emporium users grant-admin EMAIL`: adds the admin role; nil when no account has the email.
    public func grantAdmin(email: Email, at date: Date) async throws -> User? {
        guard let user = try await PostgresUserStore(client: client, logger: logger).credentials(email: email)?.user else { return nil }
        return try await setRoles(user.roles.union([.buyer, .admin]), of: user.id, by: "cli", at: date)
    }
}
