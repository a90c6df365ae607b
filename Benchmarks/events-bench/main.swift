// Event flow benchmarks (docs/BENCHMARKS.md), against a private PostgreSQL cluster and the Kafka
// broker at --bootstrap (scripts/bench-events starts Tansu):
//
// 1. Outbox relay throughput: N committed ProductCreated events published to Kafka (commit → acked),
//    and dispatched in process to inventory's real handlers (commit → stock record written).
// 2. End-to-end latency from product creation (the catalog use case) to the stock record
//    (inventory.products.created_at − catalog.products.created_at, both on one clock) at a fixed
//    creation rate, single node (in-process bus) and distributed (Kafka between the services).
//
//   swift build -c release --product events-bench
//   events-bench --bootstrap 127.0.0.1:9092 [--events 50000] [--rate 100] [--seconds 20]

import Catalog
import Contracts
import Database
import EmporiumCore
import Foundation
import Identity
import Inventory
import Kafka
import Logging
import Messaging
import PostgresNIO
import ServiceLifecycle

struct Options {
    var bootstrap = ""
    var events = 50_000
    var rate = 100
    var seconds = 20

    init(_ arguments: [String]) {
        var i = 1
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--bootstrap": bootstrap = value
            case "--events": events = Int(value) ?? events
            case "--rate": rate = Int(value) ?? rate
            case "--seconds": seconds = Int(value) ?? seconds
            default: fatalError("unknown argument \(arguments[i]); see the comment at the top of main.swift")
            }
            i += 2
        }
        if bootstrap.isEmpty { fatalError("--bootstrap HOST:PORT is required (scripts/bench-events starts a broker)") }
    }
}

let options = Options(CommandLine.arguments)
let logger: Logger = {
    var logger = Logger(label: "events-bench")
    logger.logLevel = .warning
    return logger
}()
let seller = Principal(userID: UserID("bench-seller"), roles: [.seller])

/// A fresh database with the catalog and inventory schemas.
func freshDatabase(_ cluster: PostgresCluster, _ endpoint: PostgresEndpoint, _ name: String) async throws -> PostgresClient.Configuration {
    _ = try await cluster.createDatabase(name)
    var configuration = endpoint.clientConfiguration(database: name)
    configuration.options.maximumConnections = 20
    try await withClient(configuration) { client in
        _ = try await Migrator(client: client, logger: logger).migrate([CatalogService.migrationSet(), InventoryService.migrationSet()])
    }
    return configuration
}

func withClient<T: Sendable>(_ configuration: PostgresClient.Configuration, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { await client.run(); return nil }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// Runs `services` in a service group around `body`, then shuts them down gracefully.
func withServices<T: Sendable>(_ services: [any Service], _ body: @Sendable () async throws -> T) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask { try await group.run(); return nil }
        let result = try await body()
        await group.triggerGracefulShutdown()
        for try await _ in tasks {}
        return result
    }
}

func inventoryProcessor(_ client: PostgresClient) throws -> EventProcessor {
    let inventory = try InventoryService(client: client, logger: logger)
    return EventProcessor(configuration: .init(consumer: "inventory", schema: InventoryService.schemaName), handlers: inventory.eventHandlers, client: client, logger: logger)
}

func createdEvents(_ count: Int) throws -> [EventEnvelope] {
    try (0..<count).map { n in
        try EventEnvelope(ProductCreated(product: ProductSnapshot(
            productId: UUID().uuidString.lowercased(), sellerId: "bench-seller", title: "Bench product \(n)", slug: "bench-product-\(n)",
            price: MoneyValue(amount: 1999, currency: "EUR"), status: "DRAFT", categoryId: nil, version: 1)))
    }
}

/// Commits `events` into catalog.outbox, 500 per transaction; returns seconds.
func commit(_ events: [EventEnvelope], _ client: PostgresClient) async throws -> Double {
    let start = ContinuousClock.now
    for chunk in stride(from: 0, to: events.count, by: 500).map({ Array(events[$0..<min($0 + 500, events.count)]) }) {
        try await client.transaction(logger: logger) { connection in
            try await Outbox(schema: CatalogService.schemaName).append(chunk, on: connection, logger: logger)
        }
    }
    return seconds(ContinuousClock.now - start)
}

/// Publishes the whole outbox with `publisher`, batch after batch; returns seconds.
func drain(_ client: PostgresClient, _ publisher: any EventPublisher) async throws -> Double {
    let relay = OutboxRelay(configuration: .init(schema: CatalogService.schemaName), client: client, publisher: publisher, logger: logger)
    let start = ContinuousClock.now
    while try await relay.relayBatch() > 0 {}
    return seconds(ContinuousClock.now - start)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func kafkaConfiguration() throws -> KafkaConfiguration {
    try KafkaConfiguration(bootstrapServers: [options.bootstrap])
}

/// Creates products at `rate` per second for `duration` seconds, waits for all their stock
/// records, and returns the creation → stock record latencies in milliseconds.
func endToEnd(_ client: PostgresClient, services: [any Service]) async throws -> [Double] {
    let catalog = try CatalogService(client: client, logger: logger).catalog
    let total = options.rate * options.seconds
    let interval = Duration.seconds(1) / options.rate
    try await withServices(services) {
        try await Task.sleep(for: .seconds(8))  // consumers join (Tansu answers JoinGroup after ~session/2), relays listen
        let start = ContinuousClock.now
        for n in 0..<total {
            try await Task.sleep(until: start + interval * n)
            _ = try await catalog.createProduct(
                ProductFieldsInput(title: "Latency product \(n)", priceAmount: 1999, priceCurrency: "EUR"), sellerID: nil, by: seller)
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while try await count(client, "SELECT count(*) FROM inventory.products") < total {
            guard ContinuousClock.now < deadline else { fatalError("stock records did not all appear within 60 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
    let rows = try await client.query("""
        SELECT (extract(epoch FROM (i.created_at - p.created_at)) * 1000)::float8
        FROM inventory.products i JOIN catalog.products p ON p.id = i.product_id
        """, logger: logger)
    return try await rows.decode(Double.self).collectAll().sorted()
}

func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
    Int(try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int64.self).collectAll().first ?? 0)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func report(_ label: String, _ latencies: [Double]) {
    print(String(format: "%@: %d products at %d/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms", label, latencies.count, options.rate,
                 percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? .nan))
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-events-bench-\(getpid())").path
let cluster = PostgresCluster(directory: directory, forTesting: true, removeOnExit: true, logger: logger)
let endpoint = try await cluster.start()
// The catalog topic as `emporium` creates it (6 partitions), not as auto-creation would.
let admin = KafkaAdmin(configuration: try kafkaConfiguration(), logger: logger)
do {
    try await admin.createTopic(Topics.catalogProduct, partitions: 6)
} catch let error as KafkaError where error.code == .topicAlreadyExists {}
await admin.close()
print("events-bench: \(options.events) events, end to end \(options.rate)/s for \(options.seconds) s, broker \(options.bootstrap)")

// 1a. Relay → Kafka.
try await withClient(try await freshDatabase(cluster, endpoint, "relay_kafka")) { client in
    let events = try createdEvents(options.events)
    let committed = try await commit(events, client)
    let producer = KafkaProducer(configuration: try kafkaConfiguration(), logger: logger)
    let published = try await withServices([producer]) { try await drain(client, KafkaEventPublisher(producer: producer)) }
    print(String(format: "commit into the outbox: %.0f events/s (%.2f s)", Double(events.count) / committed, committed))
    print(String(format: "relay to Kafka (acks=all): %.0f events/s (%.2f s)", Double(events.count) / published, published))
}

// 1b. Relay → in-process bus → inventory handlers (each event: one transaction with inbox + stock record + outbox).
try await withClient(try await freshDatabase(cluster, endpoint, "relay_local")) { client in
    let events = try createdEvents(options.events)
    _ = try await commit(events, client)
    let bus = InProcessEventBus()
    bus.register(try inventoryProcessor(client))
    let handled = try await drain(client, bus)
    let stocked = try await count(client, "SELECT count(*) FROM inventory.stock")
    guard stocked == events.count else { fatalError("expected \(events.count) stock records, found \(stocked)") }
    print(String(format: "relay to in-process handlers (stock records written): %.0f events/s (%.2f s)", Double(events.count) / handled, handled))
}

// 2a. End to end, single node.
try await withClient(try await freshDatabase(cluster, endpoint, "e2e_local")) { client in
    let bus = InProcessEventBus()
    bus.register(try inventoryProcessor(client))
    let relay = OutboxRelay(configuration: .init(schema: CatalogService.schemaName), client: client, publisher: bus, logger: logger)
    report("creation → stock record, single node (in-process bus)", try await endToEnd(client, services: [relay]))
}

// 2b. End to end, distributed: catalog's relay publishes to Kafka, inventory's consumer group reads it.
try await withClient(try await freshDatabase(cluster, endpoint, "e2e_kafka")) { client in
    let kafka = try kafkaConfiguration()
    let producer = KafkaProducer(configuration: kafka, logger: logger)
    let relay = OutboxRelay(configuration: .init(schema: CatalogService.schemaName), client: client, publisher: KafkaEventPublisher(producer: producer), logger: logger)
    let consumer = KafkaEventConsumer(processor: try inventoryProcessor(client), kafka: kafka, logger: logger) { settings in
        settings.groupID = "inventory-bench-\(UUID().uuidString.prefix(8))"
        settings.autoOffsetReset = .latest  // only this run's products
    }
    report("creation → stock record, distributed (Kafka)", try await endToEnd(client, services: [producer, relay, consumer]))
}

await cluster.stop()
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB")
