import Contracts
import Logging
import Messaging

/// What inventory does with other services' events.
///
/// Handlers write only through `context.connection`: the processor's transaction, which also
/// records the event id as processed, so an effect and its record commit together.
public enum InventoryEventHandlers {
    public static func make() -> EventHandlers {
        var handlers = EventHandlers()
        // A new product gets its stock record (0 units, default warehouse).
        handlers.on(ProductCreated.self) { event, context in
            try await ProductRecords.apply(event.product, active: event.product.status != "ARCHIVED", envelope: context.envelope, on: context.connection, logger: context.logger)
        }
        // Archived: reads keep working, receipts and reservations are refused.
        handlers.on(ProductArchived.self) { event, context in
            try await ProductRecords.apply(event.product, active: false, envelope: context.envelope, on: context.connection, logger: context.logger)
        }
        // An archived product brought back (status other than ARCHIVED in a newer snapshot)
        // takes stock again; other changes only refresh the seller.
        handlers.on(ProductUpdated.self) { event, context in
            try await ProductRecords.apply(event.product, active: event.product.status != "ARCHIVED", envelope: context.envelope, on: context.connection, logger: context.logger)
        }
        handlers.on(ProductPublished.self) { event, context in
            try await ProductRecords.apply(event.product, active: true, envelope: context.envelope, on: context.connection, logger: context.logger)
        }
        // Orders: reserve when placed, commit when paid, release or restock when cancelled.
        OrderReservations.register(in: &handlers)
        return handlers
    }
}
