import Contracts
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
import GraphQLSupport
import Identity
@testable import Inventory
import Logging
import Messaging
import PostgresNIO
import Synchronization

/// A clock tests can move.
final class TestClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Counts batched stock reads: each is one SQL statement.
final class CountingStockStore: StockStore {
    let inner: any StockStore
    let levelQueries = Mutex(0)

    init(_ inner: any StockStore) { self.inner = inner }

    func warehouses() async throws -> [Warehouse] { try await inner.warehouses() }
    func createWarehouse(_ warehouse: Warehouse) async throws -> Warehouse { try await inner.createWarehouse(warehouse) }
    func products(ids: [ProductID]) async throws -> [ProductID: StockedProduct] { try await inner.products(ids: ids) }
    func stockLevels(productIDs: [ProductID]) async throws -> [ProductID: StockLevel] {
        levelQueries.withLock { $0 += 1 }
        return try await inner.stockLevels(productIDs: productIDs)
    }
    func apply(_ movement: StockMovement, at: Date, owner: UserID?) async throws -> StockLevel { try await inner.apply(movement, at: at, owner: owner) }
    func setLowStockThreshold(_ threshold: Int, productID: ProductID) async throws -> StockLevel {
        try await inner.setLowStockThreshold(threshold, productID: productID)
    }
}

/// An outbox row, as the tests look at it.
struct OutboxRow: Sendable {
    let type: String
    let aggregateID: String
    let payload: String

    func decode<Event: IntegrationEvent>(_: Event.Type) throws -> Event {
        try EventEnvelope(type: type, schemaVersion: Event.schemaVersion, topic: Event.topic, aggregateID: aggregateID, occurredAt: Date(), payload: Data(payload.utf8)).decode(Event.self)
    }
}

/// An inventory service on its own fresh, migrated database, with a movable clock.
struct Harness: Sendable {
    let service: InventoryService
    let client: PostgresClient
    let clock: TestClock
    let stockStore: CountingStockStore
    let logger: Logger

    var keeper: StockKeeper { service.keeper }

    static func run(
        reservationTTL: Duration = .seconds(600), expiryInterval: Duration = .milliseconds(50), clock: TestClock = TestClock(),
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "inventory", migrations: [InventoryService.migrationSet()])
        let logger = Logger(label: "emporium.test.inventory")
        try await withPostgresClient(configuration, logger: logger) { client in
            let stock = CountingStockStore(PostgresStockStore(client: client, logger: logger))
            let service = try InventoryService(
                stock: stock, reservations: PostgresReservationStore(client: client, logger: logger),
                reservationTTL: reservationTTL, expiryInterval: expiryInterval, clock: clock, logger: logger
            )
            try await body(Harness(service: service, client: client, clock: clock, stockStore: stock, logger: logger))
        }
    }

    var processor: EventProcessor {
        EventProcessor(configuration: .init(consumer: "inventory", schema: InventoryService.schemaName), handlers: service.eventHandlers, client: client, logger: logger)
    }

    static func snapshot(_ id: ProductID, seller: Principal = TestUsers.seller, status: String = "DRAFT", version: Int = 1) -> ProductSnapshot {
        ProductSnapshot(
            productId: id.description, sellerId: seller.userID.rawValue, title: "Kettle", slug: "kettle-\(id.description.prefix(8))",
            price: MoneyValue(amount: 1990, currency: "EUR"), status: status, categoryId: nil, version: version
        )
    }

    /// A product as the catalog would announce it, handled through the event processor.
    @discardableResult
    func createProduct(seller: Principal = TestUsers.seller, units: Int = 0) async throws -> ProductID {
        let id = ProductID()
        let outcome = try await processor.process(EventEnvelope(ProductCreated(product: Self.snapshot(id, seller: seller))))
        guard outcome == .handled else { throw EmporiumError(.internalError, "ProductCreated was \(outcome)") }
        if units > 0 {
            _ = try await keeper.receiveStock(productID: id, warehouseID: nil, quantity: units, by: TestUsers.admin)
        }
        return id
    }

    func archive(_ id: ProductID, version: Int = 2) async throws {
        _ = try await processor.process(EventEnvelope(ProductArchived(product: Self.snapshot(id, status: "ARCHIVED", version: version))))
    }

    func graphQL(_ query: String, _ variables: [String: Map] = [:], as principal: Principal? = nil) async -> GraphQLResult {
        await service.endpoint.execute(GraphQLRequest(query: query, variables: variables), info: GraphQLRequestInfo(principal: principal)).result
    }

    /// Outbox rows in insertion order, optionally only those about `product`.
    func outbox(for product: ProductID? = nil) async throws -> [OutboxRow] {
        let rows = try await client.query(
            "SELECT event_type, aggregate_id, payload::text FROM inventory.outbox ORDER BY id", logger: logger
        ).decode((String, String, String).self).collectAll()
        return rows.map { OutboxRow(type: $0.0, aggregateID: $0.1, payload: $0.2) }
            .filter { product == nil || $0.aggregateID == product!.description }
    }

    func count(_ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self).collectAll().first ?? 0
    }
}

func code(_ result: GraphQLResult) -> String? {
    result.errors.first?.extensions["code"]?.string
}

/// The code of an `EmporiumError` thrown by `body`, nil when it succeeds.
func errorCode(_ body: () async throws -> Void) async -> EmporiumError.Code? {
    do {
        try await body()
        return nil
    } catch let error as EmporiumError {
        return error.code
    } catch {
        return EmporiumError.Code("unexpected: \(error)")
    }
}
