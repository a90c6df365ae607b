import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// What the resident index reads from PostgreSQL: every product at the start, then the products
/// named by `catalog.search_changes` (migration 0008) since the last read.
///
/// The watermark is a transaction id, the horizon: the oldest transaction still running. Every
/// transaction below it has ended, so its entries are visible now or never, and the next read
/// starts at the horizon. Entries above it that are already visible (committed while an older
/// transaction still runs) are applied at once and remembered until the horizon passes them, so
/// a long transaction elsewhere delays nothing and no entry is applied twice. A sequence number
/// instead would skip an entry whose transaction commits after a later one's.
struct SearchChangeFeed: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Log entries are kept this long; a process that has not read for longer rebuilds.
    static let retention: Duration = .seconds(3600)

    private static let columns = """
        SELECT p.id, p.seller_id, p.title, p.price_amount, p.currency, p.category_id, p.status, p.publish_at, p.created_at,
               p.search_vector::text, COALESCE(a.available, 0)::bigint, COALESCE(c.sales_count, 0), COALESCE(c.view_count, 0), p.version
        FROM catalog.products p
        LEFT JOIN catalog.product_availability a ON a.product_id = p.id
        LEFT JOIN catalog.product_counters c ON c.product_id = p.id
        """

    private typealias Row = (UUID, String, String, Int64, String, UUID?, String, Date?, Date, String, Int64, Int64, Int64, Int32)

    /// The oldest transaction still running (every older one has ended).
    func horizon() async throws -> Int64 {
        let rows = try await client.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint", logger: logger)
            .decode(Int64.self).collectAll()
        guard let horizon = rows.first else { throw EmporiumError(.internalError, "PostgreSQL returned no snapshot") }
        return horizon
    }

    /// Every product, streamed (a million rows are never held as rows). Stops when cancelled.
    func everyProduct(_ each: (IndexedProduct) -> Void) async throws {
        var read = 0
        for try await row in try await client.query(PostgresQuery(unsafeSQL: Self.columns), logger: logger).decode(Row.self) {
            if let product = Self.product(row) { each(product) }
            read += 1
            if read % 10_000 == 0 { try Task.checkCancellation() }
        }
    }

    /// The distinct title words (`search_words`), for type-ahead and "showing results for".
    func vocabulary() async throws -> [String] {
        try await client.query("SELECT word FROM catalog.search_words", logger: logger).decode(String.self).collectAll()
    }

    /// A log entry: a product changed by a transaction; only its counters or availability when
    /// `factsOnly`.
    struct Entry: Hashable, Sendable {
        let transaction: Int64
        let product: UUID
        var factsOnly = false
    }

    /// A product's counters and availability, as they are now.
    struct Facts: Sendable, Equatable {
        let product: UUID
        let available: Int64
        let sales: Int64
        let views: Int64
    }

    /// The log entries of transactions from `from` on that are visible now, and the horizon: the
    /// entries below it are final; above it, a transaction still running may add more later.
    func entries(from: Int64) async throws -> (horizon: Int64, entries: [Entry]) {
        let rows = try await client.query("""
            WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS upto)
            SELECT h.upto, c.xid, c.product_id, c.facts_only FROM h
            LEFT JOIN LATERAL (SELECT DISTINCT xid, product_id, facts_only FROM catalog.search_changes WHERE xid >= \(from)) c ON true
            """, logger: logger).decode((Int64, Int64?, UUID?, Bool?).self).collectAll()
        guard let horizon = rows.first?.0 else { throw EmporiumError(.internalError, "PostgreSQL returned no snapshot") }
        return (horizon, rows.compactMap { row in
            row.1.flatMap { xid in row.2.map { Entry(transaction: xid, product: $0, factsOnly: row.3 ?? false) } }
        })
    }

    /// The current counters and availability of `ids` (a product without a row has zeros).
    func facts(_ ids: [UUID]) async throws -> [Facts] {
        var facts: [Facts] = []
        facts.reserveCapacity(ids.count)
        for slice in Self.slices(of: ids) {
            let rows = try await client.query("""
                SELECT v.id, COALESCE(a.available, 0)::bigint, COALESCE(c.sales_count, 0), COALESCE(c.view_count, 0)
                FROM unnest(\(slice)::uuid[]) AS v(id)
                LEFT JOIN catalog.product_availability a ON a.product_id = v.id
                LEFT JOIN catalog.product_counters c ON c.product_id = v.id
                """, logger: logger)
            for try await (id, available, sales, views) in rows.decode((UUID, Int64, Int64, Int64).self) {
                facts.append(Facts(product: id, available: available, sales: sales, views: views))
            }
        }
        return facts
    }

    /// The current rows of `ids`; those that no longer exist are in `removed`.
    func products(_ ids: [UUID]) async throws -> (changed: [IndexedProduct], removed: [UUID]) {
        var changed: [IndexedProduct] = []
        var seen = Set<UUID>()
        for slice in Self.slices(of: ids) {
            for try await row in try await client.query("\(unescaped: Self.columns) WHERE p.id = ANY(\(slice))", logger: logger).decode(Row.self) {
                if let product = Self.product(row) {
                    changed.append(product)
                    seen.insert(product.id)
                }
            }
        }
        return (changed, ids.filter { !seen.contains($0) })
    }

    /// `ids` in slices of 5,000, so that a bulk change (a seed) is read in bounded statements.
    static func slices(of ids: [UUID]) -> [[UUID]] {
        stride(from: 0, to: ids.count, by: 5_000).map { Array(ids[$0..<min($0 + 5_000, ids.count)]) }
    }

    /// Deletes log entries past the retention (every reader does this now and then; it is
    /// idempotent).
    func prune() async throws {
        try await client.query("DELETE FROM catalog.search_changes WHERE logged_at < now() - interval '1 hour'", logger: logger)
    }

    private static func product(_ row: Row) -> IndexedProduct? {
        guard let status = ProductStatus(rawValue: row.6) else { return nil }
        return IndexedProduct(
            id: row.0, sellerID: row.1, title: row.2, price: row.3, currency: row.4, categoryID: row.5, status: status, publishAt: row.7,
            createdAt: row.8, vector: row.9, available: row.10, sales: row.11, views: row.12, version: row.13)
    }
}
