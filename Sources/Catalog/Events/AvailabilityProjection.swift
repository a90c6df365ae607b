import Contracts
import Foundation
import Messaging
import PostgresNIO

/// Units available per product, from inventory's `StockChanged` (which carries the product's
/// totals over all warehouses after each movement), for the search's in-stock filter. Events of
/// one product arrive in order; an older one arriving late is still ignored by its time.
public enum AvailabilityProjection {
    public static func add(to handlers: inout EventHandlers) {
        handlers.on(StockChanged.self) { event, context in
            guard let id = UUID(uuidString: event.productId) else { return }
            try await context.connection.query("""
                INSERT INTO catalog.product_availability (product_id, available, changed_at)
                VALUES (\(id), \(Int32(clamping: event.totals.available)), \(context.envelope.occurredAt))
                ON CONFLICT (product_id) DO UPDATE SET available = EXCLUDED.available, changed_at = EXCLUDED.changed_at
                WHERE catalog.product_availability.changed_at <= EXCLUDED.changed_at
                """, logger: context.logger)
        }
    }
}
