import Contracts
import Messaging
import ServiceKit

extension ServiceDescriptor {
    /// The inventory: stock per warehouse and reservations that never oversell (schema
    /// `inventory`); keeps a record per catalog product from the catalog's events.
    public static let inventory = ServiceDescriptor(
        name: "inventory",
        schema: InventoryService.schemaName,
        migrations: { try InventoryService.migrationSet() },
        sdl: InventorySchema.sdl,
        publishes: [Topics.inventoryStock, Topics.inventoryReservation],
        consumes: InventoryEventHandlers.make().topics,
        caching: CachePolicy(maxAges: InventoryCacheTags.maxAges, invalidatedTags: InventoryCacheTags.invalidated(by:)),
        start: { context in
            // How long an uncommitted reservation holds its units.
            let ttl = try context.settings.seconds("EMPORIUM_RESERVATION_TTL_SECONDS", in: 1...604_800) ?? .seconds(15 * 60)
            let service = try InventoryService(client: context.postgres, reservationTTL: ttl, logger: context.logger)
            return ServiceInstance(endpoint: service.endpoint, eventHandlers: service.eventHandlers, background: [service.expiry])
        }
    )
}
