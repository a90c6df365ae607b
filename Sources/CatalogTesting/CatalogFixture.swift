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

    /// Runs `body` with a running client and the catalog service on it. The resident search index
    /// reads the changes before every search, so a test sees its own writes.
    public func run<Result: Sendable>(
        searchIndex: SearchIndexChoice = .resident(.beforeEachRead), _ body: @Sendable (CatalogService, PostgresClient) async throws -> Result
    ) async throws -> Result {
        let logger = Logger(label: "emporium.test.catalog")
        return try await withPostgresClient(configuration, logger: logger) { client in
            try await body(try CatalogService(client: client, searchIndex: searchIndex, logger: logger), client)
        }
    }
}
