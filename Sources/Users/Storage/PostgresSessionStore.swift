import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// ``SessionStore`` on PostgreSQL (schema `users`).
///
/// Rotation is one `UPDATE … WHERE used_at IS NULL`: concurrent refreshes with the same token
/// queue on its row lock, and only the first finds it unused. The others see it used — exactly
/// what a stolen token presented after its owner refreshed looks like — and end the session.
public struct PostgresSessionStore: SessionStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func start(session: UUID, user: UserID, tokenHash: [UInt8], at date: Date, expiresAt: Date) async throws {
        guard let userID = UUIDText.parse(user.rawValue) else { throw EmporiumError(.internalError, "user ids are UUIDs") }
        let logger = logger
        try await client.transaction(logger: logger) { connection in
            try await connection.query("INSERT INTO users.sessions (id, user_id, started_at) VALUES (\(session), \(userID), \(date))", logger: logger)
            try await connection.query("""
                INSERT INTO users.refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES (\(ByteBuffer(bytes: tokenHash)), \(session), \(date), \(expiresAt))
                """, logger: logger)
        }
    }

    public func rotate(tokenHash: [UInt8], to newHash: [UInt8], at date: Date, expiresAt: Date) async throws -> RotationOutcome {
        let logger = logger
        let hash = ByteBuffer(bytes: tokenHash)
        return try await client.transaction(logger: logger) { connection in
            let rotated = try await connection.query("""
                UPDATE users.refresh_tokens t SET used_at = \(date)
                FROM users.sessions s
                WHERE t.token_hash = \(hash) AND t.used_at IS NULL AND t.expires_at > \(date) AND s.id = t.session_id AND s.ended_at IS NULL
                RETURNING t.session_id, s.user_id
                """, logger: logger).decode((UUID, UUID).self).collectAll()
            if let (session, user) = rotated.first {
                try await connection.query("""
                    INSERT INTO users.refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES (\(ByteBuffer(bytes: newHash)), \(session), \(date), \(expiresAt))
                    """, logger: logger)
                return .rotated(user: UserID(UUIDText.lowercase(user)), session: session)
            }
            // Not rotated: find out whether a used token came back while its session was open.
            let reused = try await connection.query("""
                UPDATE users.sessions s SET ended_at = \(date), end_reason = 'refresh token reused'
                FROM users.refresh_tokens t
                WHERE t.token_hash = \(hash) AND t.used_at IS NOT NULL AND s.id = t.session_id AND s.ended_at IS NULL
                RETURNING s.id, s.user_id
                """, logger: logger).decode((UUID, UUID).self).collectAll()
            if let (session, user) = reused.first { return .reused(user: UserID(UUIDText.lowercase(user)), session: session) }
            return .refused
        }
    }

    public func endSession(tokenHash: [UInt8], at date: Date) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE users.sessions s SET ended_at = \(date), end_reason = 'logout'
            FROM users.refresh_tokens t
            WHERE t.token_hash = \(ByteBuffer(bytes: tokenHash)) AND s.id = t.session_id AND s.ended_at IS NULL
            RETURNING s.id
            """, logger: logger).decode(UUID.self).collectAll()
        return !rows.isEmpty
    }

    public func endSessions(of user: UserID, at date: Date, reason: String) async throws -> Int {
        guard let userID = UUIDText.parse(user.rawValue) else { return 0 }
        let rows = try await client.query("""
            UPDATE users.sessions SET ended_at = \(date), end_reason = \(reason) WHERE user_id = \(userID) AND ended_at IS NULL RETURNING id
            """, logger: logger).decode(UUID.self).collectAll()
        return rows.count
    }
}
