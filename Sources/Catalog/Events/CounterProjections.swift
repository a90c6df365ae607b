import Contracts
import Database
import Foundation
import Logging
import Messaging
import PostgresNIO

/// The catalog's counters, kept by consuming events in the inbox's transaction (so each event
/// counts once): units sold from Orders' status changes, published products per category from
/// the catalog's own product events. How far behind they run is the catalog consumer's
/// `emporium_event_consumer_lag_seconds`. The search's availability (``AvailabilityProjection``)
/// is kept by the same consumer.
public enum CounterProjections {
    public static func make() -> EventHandlers {
        var handlers = EventHandlers()
        // Order-wide changes only: a sale counts when the order is paid, and is taken back if a
        // paid order is cancelled (refunded) before shipping.
        handlers.on(OrderStatusChanged.self, when: { $0.sellerOrderId == nil && ($0.to == "PAID" || ($0.to == "CANCELLED" && $0.from == "PAID")) }) { event, context in
            try await addSales(event.lines, sign: event.to == "PAID" ? 1 : -1, context)
        }
        handlers.on(ProductViewsCounted.self) { event, context in try await addViews(event.views, context) }
        handlers.on(ProductCreated.self) { event, context in try await member(event.product, context) }
        handlers.on(ProductUpdated.self) { event, context in try await member(event.product, context) }
        handlers.on(ProductPublished.self) { event, context in try await member(event.product, context) }
        handlers.on(ProductArchived.self) { event, context in try await member(event.product, context) }
        AvailabilityProjection.add(to: &handlers)
        return handlers
    }

    static func addSales(_ lines: [OrderLineValue], sign: Int64, _ context: EventContext) async throws {
        var units: [UUID: Int64] = [:]
        for line in lines {
            guard let id = UUID(uuidString: line.productId), line.quantity > 0, line.quantity <= 1_000_000 else { continue }
            units[id, default: 0] += Int64(line.quantity) * sign
        }
        guard !units.isEmpty else { return }
        // UUID's `<` is the byte order PostgreSQL sorts uuids in (formatting each as text to
        // compare was 6 % of a node's CPU under a read load, through the views below).
        let entries = units.sorted { $0.key < $1.key }
        let ids = entries.map(\.key)
        // Rows first (in id order, as every writer locks them), then one update for the batch.
        try await context.connection.query("""
            INSERT INTO catalog.product_counters (product_id) SELECT id FROM unnest(\(ids)::uuid[]) AS v(id) ORDER BY id ON CONFLICT DO NOTHING
            """, logger: context.logger)
        try await context.connection.query("""
            UPDATE catalog.product_counters c SET sales_count = GREATEST(c.sales_count + v.n, 0)
            FROM unnest(\(ids)::uuid[], \(entries.map(\.value))::bigint[]) AS v(id, n) WHERE c.product_id = v.id
            """, logger: context.logger)
    }

    /// Views by id and by slug (a former slug counts for its product), only for products the
    /// catalog has; one statement per batch.
    static func addViews(_ views: [ProductViewsCounted.Views], _ context: EventContext) async throws {
        var byID: [UUID: Int64] = [:]
        var bySlug: [String: Int64] = [:]
        for view in views where (1...1_000_000).contains(view.count) {
            if let id = view.productId.flatMap(UUID.init(uuidString:)) {
                byID[id, default: 0] += Int64(view.count)
            } else if let slug = view.slug, (1...200).contains(slug.utf8.count), !slug.unicodeScalars.contains(where: { $0.value == 0 }) {
                bySlug[slug, default: 0] += Int64(view.count)
            }
        }
        if !bySlug.isEmpty {
            let slugs = Array(bySlug.keys)
            let rows = try await context.connection.query(
                "SELECT slug, product_id FROM catalog.product_slugs WHERE slug = ANY(\(slugs))", logger: context.logger
            ).decode((String, UUID).self).collectAll()
            for row in rows { byID[row.1, default: 0] += bySlug[row.0] ?? 0 }
        }
        guard !byID.isEmpty else { return }
        let entries = byID.sorted { $0.key < $1.key }
        try await context.connection.query("""
            INSERT INTO catalog.product_counters (product_id, view_count)
            SELECT v.id, v.n FROM unnest(\(entries.map(\.key))::uuid[], \(entries.map(\.value))::bigint[]) AS v(id, n)
            WHERE EXISTS (SELECT 1 FROM catalog.products p WHERE p.id = v.id)
            ON CONFLICT (product_id) DO UPDATE SET view_count = catalog.product_counters.view_count + EXCLUDED.view_count
            """, logger: context.logger)
    }

    /// Moves the product's count from the category it was counted in to the one it is counted
    /// in now (published products only), unless the event is older than what was applied.
    static func member(_ product: ProductSnapshot, _ context: EventContext) async throws {
        guard let id = UUID(uuidString: product.productId) else { return }
        let counted: UUID? = product.status == "PUBLISHED" ? product.categoryId.flatMap(UUID.init(uuidString:)) : nil
        let rows = try await context.connection.query("""
            SELECT category_id, version FROM catalog.category_members WHERE product_id = \(id) FOR UPDATE
            """, logger: context.logger).decode((UUID?, Int).self).collectAll()
        if let previous = rows.first, previous.1 > product.version { return }
        let before = rows.first?.0
        try await context.connection.query("""
            INSERT INTO catalog.category_members (product_id, category_id, version) VALUES (\(id), \(counted), \(product.version))
            ON CONFLICT (product_id) DO UPDATE SET category_id = EXCLUDED.category_id, version = EXCLUDED.version
            """, logger: context.logger)
        guard before != counted else { return }
        if let before {
            try await context.connection.query(
                "UPDATE catalog.category_counters SET product_count = GREATEST(product_count - 1, 0) WHERE category_id = \(before)", logger: context.logger)
        }
        if let counted {
            try await context.connection.query("""
                INSERT INTO catalog.category_counters (category_id, product_count) VALUES (\(counted), 1)
                ON CONFLICT (category_id) DO UPDATE SET product_count = catalog.category_counters.product_count + 1
                """, logger: context.logger)
        }
    }
}
