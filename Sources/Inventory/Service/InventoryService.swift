import Database
import EmporiumCore
import Foundation
import GraphQLSupport
import Logging
import Messaging
import PostgresNIO

/// Wires the inventory: PostgreSQL stores, the use cases, the GraphQL subgraph endpoint, the
/// catalog event handlers and the reservation expiry loop.
///
/// ``ServiceKit/ServiceDescriptor/inventory`` hands the runtime ``endpoint``, ``eventHandlers``
/// (consumer `inventory`, schema ``schemaName``), ``expiry`` (a background loop) and
/// ``migrationSet()``. ``keeper`` holds the reservation API (`reserve`, `release`, `commit`).
public struct InventoryService: Sendable {
    public static let schemaName = "inventory"

    /// The use cases, including the reservation API for other services.
    public let keeper: StockKeeper
    public let endpoint: SchemaEndpoint<InventoryContext>
    /// Handlers for catalog product events (see ``InventoryEventHandlers``).
    public let eventHandlers: EventHandlers
    /// Returns the units of reservations past their deadline; a ServiceLifecycle `Service`.
    public let expiry: ReservationExpiry

    /// The directory of this service's versioned SQL migrations (schema `inventory`).
    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!
    }

    /// The inventory's own migrations plus the messaging tables (outbox, inbox, dead letters).
    public static func migrationSet() throws -> MigrationSet {
        try MigrationSet(
            schema: schemaName,
            migrations: MigrationSet.load(schema: schemaName, directory: migrationsDirectory).migrations + [MessagingSchema.migration()]
        )
    }

    public init(
        stock: any StockStore, reservations: any ReservationStore, reservationTTL: Duration = .seconds(15 * 60),
        expiryInterval: Duration = .seconds(1), clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) throws {
        let keeper = StockKeeper(stock: stock, reservations: reservations, clock: clock, reservationTTL: try StockRules.ttl(reservationTTL, field: "reservationTTL"))
        self.keeper = keeper
        endpoint = SchemaEndpoint(schema: try InventorySchema.build(), logger: logger) { info in
            InventoryContext(principal: info.principal, keeper: keeper, responseTags: info.responseTags)
        }
        eventHandlers = InventoryEventHandlers.make()
        expiry = ReservationExpiry(reservations: reservations, clock: clock, interval: expiryInterval, logger: logger)
    }

    /// `reservationTTL`: how long reservations hold units by default; `expiryInterval`: how
    /// often the expiry loop looks for reservations past their deadline.
    public init(
        client: PostgresClient, reservationTTL: Duration = .seconds(15 * 60), expiryInterval: Duration = .seconds(1),
        clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) throws {
        try self.init(
            stock: PostgresStockStore(client: client, logger: logger),
            reservations: PostgresReservationStore(client: client, logger: logger),
            reservationTTL: reservationTTL, expiryInterval: expiryInterval, clock: clock, logger: logger
        )
    }
}
