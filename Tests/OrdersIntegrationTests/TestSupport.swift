import Contracts
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
import GraphQLSupport
import Identity
import Inventory
import Logging
import Messaging
@testable import Orders
import PostgresNIO
import Synchronization
import Testing

/// A clock tests move.
final class TestClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Orders and inventory on one fresh database, joined by the single node's in-process bus; the
/// test moves events along with ``settle()`` (relays both outboxes and sends the sandbox's
/// webhooks until nothing is left), so every step is deterministic.
struct SagaHarness: Sendable {
    let client: PostgresClient
    let orders: OrdersService
    let inventory: InventoryService
    let bus: InProcessEventBus
    let relays: [OutboxRelay]
    let clock: TestClock
    let logger: Logger

    static let address = ShippingAddress(name: "Ольга Петрова", line1: "ул. Ленина, 1", city: "Казань", postalCode: "420111", country: "RU")

    static func run(_ body: @Sendable (SagaHarness) async throws -> Void) async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(
            named: "orders", migrations: [InventoryService.migrationSet(), OrdersService.migrationSet()])
        let logger = { var logger = Logger(label: "emporium.test.orders"); logger.logLevel = .warning; return logger }()
        try await withPostgresClient(configuration, logger: logger) { client in
            let clock = TestClock()
            let orders = try OrdersService(client: client, webhookSecret: "test-secret", paymentTimeout: .seconds(900), clock: clock, logger: logger)
            let inventory = try InventoryService(client: client, logger: logger)
            let bus = InProcessEventBus()
            bus.register(EventProcessor(configuration: .init(consumer: "orders", schema: "orders"), handlers: orders.eventHandlers, client: client, logger: logger))
            bus.register(EventProcessor(configuration: .init(consumer: "inventory", schema: "inventory"), handlers: inventory.eventHandlers, client: client, logger: logger))
            let relays = ["orders", "inventory"].map { OutboxRelay(configuration: .init(schema: $0), client: client, publisher: bus, logger: logger) }
            try await body(SagaHarness(client: client, orders: orders, inventory: inventory, bus: bus, relays: relays, clock: clock, logger: logger))
        }
    }

    /// Relays events and sends webhooks until a whole round moves nothing and no webhook is
    /// owed (one the sandbox is sending meanwhile holds its row: wait for it).
    func settle() async throws {
        for _ in 0..<500 {
            var moved = 0
            for relay in relays { moved += try await relay.relayBatch() }
            moved += try await orders.sandboxSender.sendDue()
            if moved == 0 {
                let owed = try await count("SELECT count(*)::integer FROM orders.sandbox_webhooks WHERE delivered_at IS NULL AND attempts = 0")
                let unpublished = try await count("SELECT ((SELECT count(*) FROM orders.outbox WHERE published_at IS NULL) + (SELECT count(*) FROM inventory.outbox WHERE published_at IS NULL))::integer")
                if owed == 0 && unpublished == 0 { return }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        throw EmporiumError(.internalError, "the saga did not settle")
    }

    /// A published product the catalog announced, with `units` in stock.
    func product(seller: String = "seller-1", title: String = "Чайник", amount: Int64 = 2_500, currency: String = "RUB", units: Int = 10, status: String = "PUBLISHED") async throws -> ProductID {
        let id = ProductID()
        let snapshot = ProductSnapshot(
            productId: id.description, sellerId: seller, title: title, slug: "p-\(id.description.prefix(8))", price: MoneyValue(amount: amount, currency: currency),
            status: status, categoryId: nil, version: 1)
        try await bus.publish([EventEnvelope(ProductCreated(product: snapshot))])
        if units > 0 {
            _ = try await inventory.keeper.receiveStock(productID: id, warehouseID: nil, quantity: units, by: Self.admin)
        }
        return id
    }

    static let admin = Principal(userID: UserID("admin-1"), roles: [.admin])

    static func buyer(_ name: String = "buyer-1") -> Principal { Principal(userID: UserID(name), roles: [.buyer]) }
    static func seller(_ name: String = "seller-1") -> Principal { Principal(userID: UserID(name), roles: [.seller]) }

    /// Fills the buyer's cart and checks out.
    func order(_ lines: [(ProductID, Int)], buyer: Principal = SagaHarness.buyer(), key: String = UUID().uuidString) async throws -> Order {
        for (product, quantity) in lines { _ = try await orders.desk.add(product: product, quantity: quantity, viewer: buyer) }
        return try await orders.desk.checkout(address: Self.address, idempotencyKey: key, viewer: buyer)
    }

    func reload(_ order: Order) async throws -> Order {
        try #require(try await orders.desk.order(id: order.id, viewer: Self.admin))
    }

    /// Pays through the sandbox as the buyer would on its page.
    func pay(_ order: Order, card: String = "4242 4242 4242 4242") async throws -> SandboxPaymentProvider.Outcome {
        let paymentID = try #require(try await reload(order).payment.paymentID, "no payment yet")
        return try await orders.sandboxPayments.confirm(paymentID: paymentID, card: card)
    }

    func stock(_ product: ProductID) async throws -> (onHand: Int, reserved: Int) {
        let level = try await inventory.keeper.stockLevel(productID: product)
        return (level.onHand, level.reserved)
    }

    func count(_ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self).collectAll().first ?? 0
    }

    func events(_ type: String) async throws -> [String] {
        try await client.query("SELECT payload::text FROM orders.outbox WHERE event_type = \(type) ORDER BY id", logger: logger)
            .decode(String.self).collectAll()
    }

    func graphQL(_ query: String, _ variables: [String: Map] = [:], as principal: Principal?) async -> GraphQLResult {
        await orders.endpoint.execute(GraphQLRequest(query: query, variables: variables), info: GraphQLRequestInfo(principal: principal)).result
    }
}
