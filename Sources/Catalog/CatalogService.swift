import EmporiumCore
import Foundation
import Graphiti
import GraphQLSupport
import Logging
import PostgresNIO

/// Wires the catalog: PostgreSQL stores, the use cases, and the GraphQL subgraph endpoint.
///
/// The catalog has no background loop of its own yet, so it is not a `Service`; the runtime
/// owns the PostgreSQL client's lifecycle.
public struct CatalogService: Sendable {
    public let catalog: ProductCatalog
    public let endpoint: SchemaEndpoint<CatalogResolver, CatalogContext>

    /// The directory of this service's versioned SQL migrations (schema `catalog`).
    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!
    }

    public static let schemaName = "catalog"

    public init(products: any ProductStore, categories: any CategoryStore, clock: any TimeSource = SystemTimeSource(), logger: Logger) throws {
        let catalog = ProductCatalog(products: products, categories: categories, clock: clock)
        self.catalog = catalog
        endpoint = SchemaEndpoint(schema: try CatalogSchema.build(), resolver: CatalogResolver(), logger: logger) { info in
            CatalogContext(principal: info.principal, catalog: catalog)
        }
    }

    public init(client: PostgresClient, logger: Logger) throws {
        try self.init(
            products: PostgresProductStore(client: client, logger: logger),
            categories: PostgresCategoryStore(client: client, logger: logger),
            logger: logger
        )
    }
}
