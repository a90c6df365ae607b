import Contracts
import Database
import EmporiumCore
import Foundation
import Logging
import Messaging
import PostgresNIO

/// ``SellerStore`` on PostgreSQL (schema `users`).
public struct PostgresSellerStore: SellerStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func activate(user: UserID, shopName: String, slug: Slug, at date: Date) async throws -> Seller {
        guard let id = UUIDText.parse(user.rawValue) else { throw EmporiumError(.notFound, "this account no longer exists") }
        let logger = logger
        do {
            return try await claim(id: id, user: user, shopName: shopName, slug: slug, at: date, logger: logger)
        } catch let error where PostgresErrors.sqlState(of: error) == PostgresErrors.uniqueViolation {
            // Another shop claimed the same slug between the read and the insert.
            throw EmporiumError(.conflict, "another shop took this name at the same moment; try again", field: "input.shopName")
        }
    }

    private func claim(id: UUID, user: UserID, shopName: String, slug: Slug, at date: Date, logger: Logger) async throws -> Seller {
        try await client.transaction(logger: logger) { connection in
            // The user row is the lock: two activations of one user queue here.
            let roles = try await connection.query("SELECT roles FROM users.users WHERE id = \(id) FOR UPDATE", logger: logger)
                .decode([String].self).collectAll()
            guard let current = roles.first else { throw EmporiumError(.notFound, "this account no longer exists") }
            let existing = try await connection.query("SELECT 1 FROM users.sellers WHERE user_id = \(id)", logger: logger).decode(Int.self).collectAll()
            guard existing.isEmpty else { throw EmporiumError(.conflict, "this account already has a shop") }
            let pattern = slug.rawValue + "-%"
            let taken = Set(try await connection.query(
                "SELECT slug FROM users.sellers WHERE slug = \(slug.rawValue) OR slug LIKE \(pattern)", logger: logger
            ).decode(String.self).collectAll())
            var candidate = slug.rawValue
            var suffix = 2
            while taken.contains(candidate) {
                candidate = "\(slug.rawValue)-\(suffix)"
                suffix += 1
            }
            try await connection.query(
                "INSERT INTO users.sellers (user_id, shop_name, slug, since) VALUES (\(id), \(shopName), \(candidate), \(date))", logger: logger)
            if !current.contains("seller") {
                try await connection.query("UPDATE users.users SET roles = array_append(roles, 'seller') WHERE id = \(id)", logger: logger)
            }
            try await PostgresUserStore.outbox.append(
                [try EventEnvelope(SellerActivated(userId: user.rawValue, shopName: shopName, slug: candidate), occurredAt: date)], on: connection, logger: logger)
            let stored = try await connection.query("SELECT since FROM users.sellers WHERE user_id = \(id)", logger: logger).decode(Date.self).collectAll()
            return Seller(id: user, shopName: shopName, slug: Slug(validating: candidate) ?? slug, since: stored.first ?? date)
        }
    }

    public func sellers(ids: [UserID]) async throws -> [UserID: Seller] {
        let uuids = ids.compactMap { UUIDText.parse($0.rawValue) }
        guard !uuids.isEmpty else { return [:] }
        var found: [UserID: Seller] = [:]
        let rows = try await client.query("SELECT user_id, shop_name, slug, since FROM users.sellers WHERE user_id = ANY(\(uuids))", logger: logger)
        for try await (id, name, slug, since) in rows.decode((UUID, String, String, Date).self) {
            let user = UserID(UUIDText.lowercase(id))
            found[user] = Seller(id: user, shopName: name, slug: Slug(validating: slug) ?? Slug(from: slug), since: since)
        }
        return found
    }
}
