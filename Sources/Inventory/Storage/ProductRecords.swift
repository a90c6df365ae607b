import Contracts
import Database
import EmporiumCore
import Foundation
import Logging
import Messaging
import PostgresNIO

/// Inventory's copy of catalog products, written by the event handlers on the connection of the
/// transaction that also records the event as processed.
enum ProductRecords {
    /// Applies a catalog snapshot: creates the product (and its empty stock record in the
    /// default warehouse) or updates seller and active flag. A snapshot older than the one
    /// applied (by catalog version) changes nothing, so redelivered and out-of-order events are
    /// harmless even without the inbox.
    static func apply(
        _ snapshot: ProductSnapshot, active: Bool, envelope: EventEnvelope, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard let uuid = UUID(uuidString: snapshot.productId) else {
            // Permanent: retrying cannot fix it, so the processor parks the event at once.
            throw EventDecodingError("\(envelope.type) \(envelope.eventID) names product '\(snapshot.productId.prefix(64))', which is not a UUID")
        }
        let version = snapshot.version
        try await connection.query("""
            INSERT INTO inventory.products (product_id, seller_id, active, catalog_version)
            VALUES (\(uuid), \(snapshot.sellerId), \(active), \(version))
            ON CONFLICT (product_id) DO UPDATE
            SET seller_id = EXCLUDED.seller_id, active = EXCLUDED.active, catalog_version = EXCLUDED.catalog_version, updated_at = now()
            WHERE inventory.products.catalog_version < EXCLUDED.catalog_version
            """, logger: logger)
        let opened = try await connection.query("""
            INSERT INTO inventory.stock (product_id, warehouse_id) VALUES (\(uuid), \(Warehouse.defaultID.uuid))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger).collectAll()
        guard !opened.isEmpty else { return }
        let created = StockChanged(
            productId: ProductID(uuid: uuid).description, warehouseId: Warehouse.defaultID.description, reason: "created",
            onHandDelta: 0, reservedDelta: 0, totals: .zero
        )
        try await StockSQL.outbox.append(
            [try EventEnvelope(created, occurredAt: Date(), correlationID: envelope.correlationID ?? envelope.eventID.uuidString.lowercased())],
            on: connection, logger: logger
        )
    }
}
