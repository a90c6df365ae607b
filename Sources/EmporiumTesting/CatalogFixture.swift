import Catalog
import Database
import EmporiumCore
import Foundation
import Identity
import Logging
import PostgresNIO

/// A catalog on its own fresh, migrated database, with helpers to act as different users.
public struct CatalogFixture: Sendable {
    public let configuration: PostgresClient.Configuration

    public static func make(_ name: String = "catalog") async throws -> CatalogFixture {
        let sets = [try CatalogService.migrationSet()]
        return CatalogFixture(configuration: try await TestPostgres.shared.freshDatabase(named: name, migrations: sets))
    }

    /// Runs `body` with a running client and the catalog service on it.
    public func run<Result: Sendable>(_ body: @Sendable (CatalogService, PostgresClient) async throws -> Result) async throws -> Result {
        let logger = Logger(label: "emporium.test.catalog")
        return try await withPostgresClient(configuration, logger: logger) { client in
            try await body(try CatalogService(client: client, logger: logger), client)
        }
    }
}

/// Principals for tests.
public enum TestUsers {
    public static let seller = Principal(userID: UserID("seller-1"), roles: [.seller])
    public static let otherSeller = Principal(userID: UserID("seller-2"), roles: [.seller])
    public static let buyer = Principal(userID: UserID("buyer-1"), roles: [.buyer])
    public static let admin = Principal(userID: UserID("admin-1"), roles: [.admin])
}

/// A fixed HS256 secret for tests (32+ bytes).
public let testJWTSecret = "emporium-test-secret-0123456789abcdef"
