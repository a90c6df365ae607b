import Database
import Foundation
import Identity
import Logging
import PostgresNIO

/// ``SigningKeyStore`` on PostgreSQL (schema `users`). The private keys are stored as they are:
/// whoever reads this table can sign tokens, like whoever reads the configured secret today
/// (docs/users.md says how to protect it).
public struct PostgresSigningKeyStore: SigningKeyStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func keys(retiredAfter since: Date) async throws -> [StoredSigningKey] {
        var found: [StoredSigningKey] = []
        let rows = try await client.query("""
            SELECT kid, seed, created_at, retired_at FROM users.signing_keys
            WHERE retired_at IS NULL OR retired_at > \(since) ORDER BY created_at DESC, kid DESC
            """, logger: logger)
        for try await (kid, seed, created, retired) in rows.decode((String, ByteBuffer, Date, Date?).self) {
            found.append(StoredSigningKey(key: try Ed25519SigningKey(kid: kid, seed: Array(buffer: seed)), createdAt: created, retiredAt: retired))
        }
        return found
    }

    public func ensureKey(at date: Date) async throws {
        let logger = logger
        try await client.transaction(logger: logger) { connection in
            // Replicas starting at once queue here; the first makes the key, the others see it.
            try await connection.query("LOCK TABLE users.signing_keys IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            let active = try await connection.query("SELECT count(*) FROM users.signing_keys WHERE retired_at IS NULL", logger: logger)
                .decode(Int.self).collectAll()
            guard active.first ?? 0 == 0 else { return }
            try await Self.insert(try Ed25519SigningKey.generate(at: date), at: date, on: connection, logger: logger)
        }
    }

    public func rotate(at date: Date) async throws -> StoredSigningKey {
        let logger = logger
        let key = try Ed25519SigningKey.generate(at: date)
        try await client.transaction(logger: logger) { connection in
            try await connection.query("LOCK TABLE users.signing_keys IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            try await connection.query("UPDATE users.signing_keys SET retired_at = \(date) WHERE retired_at IS NULL", logger: logger)
            try await Self.insert(key, at: date, on: connection, logger: logger)
        }
        return StoredSigningKey(key: key, createdAt: date, retiredAt: nil)
    }

    private static func insert(_ key: Ed25519SigningKey, at date: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO users.signing_keys (kid, seed, created_at) VALUES (\(key.kid), \(ByteBuffer(bytes: key.seed)), \(date))
            """, logger: logger)
    }
}
