import Catalog
import EmporiumTesting
import Logging
import PostgresNIO

/// A catalog on its own fresh, migrated database. Its own target, so that the test support the
/// protocol clients' tests use (EmporiumTesting) does not link the application.
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
