import EmporiumCore
import Foundation
import PostgresNIO

// The catalog's hottest reads as named prepared statements. PostgresNIO prepares each once per
// connection and then sends only Bind/Execute: PostgreSQL neither parses nor plans them again.
// Measured with pgbench on the by-slug read (docs/BENCHMARKS.md, #15): an unnamed statement per
// query (what `client.query` sends) answers 5.2k tps where the prepared one answers 19.5k — the
// parse and plan cost three times the read itself.

/// A product by its current slug, or by a former one (`catalog.product_slugs`).
struct ProductBySlugStatement: PostgresPreparedStatement {
    // Named here: the default name is `String(reflecting:)`, built again on every execution.
    static let name = "catalog_product_by_slug"
    static let sql = """
        SELECT \(ProductRow.columns) FROM catalog.products p
        WHERE p.id = COALESCE(
            (SELECT id FROM catalog.products WHERE slug = $1),
            (SELECT product_id FROM catalog.product_slugs WHERE slug = $1))
        """
    static let bindingDataTypes: [PostgresDataType] = [.text]

    let slug: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(slug)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Product { try ProductRow.decode(row) }
}

/// Products by id, in any order; ids that do not exist are absent.
struct ProductsByIDStatement: PostgresPreparedStatement {
    static let name = "catalog_products_by_id"
    static let sql = "SELECT \(ProductRow.columns) FROM catalog.products p WHERE p.id = ANY($1)"
    static let bindingDataTypes: [PostgresDataType] = [.uuidArray]

    let ids: [UUID]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Product { try ProductRow.decode(row) }
}
