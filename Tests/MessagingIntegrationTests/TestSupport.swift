import Contracts
import Database
import EmporiumTesting
import Foundation
import Logging
import Messaging
import PostgresNIO
import Synchronization

/// A test event on its own topic: `sequence` numbers events per aggregate so tests can check order.
struct Ping: IntegrationEvent {
    static let eventType = "Ping"
    static let schemaVersion = 1
    static let topic = "emporium-test.ping.v1"
    var aggregate: String
    var sequence: Int
    var aggregateID: String { aggregate }
}

/// A database with the messaging tables in schema `shop` and an `effects` table that handlers
/// write to, so tests can count effects.
struct MessagingFixture: Sendable {
    static let schema = "shop"
    let configuration: PostgresClient.Configuration
    let logger = Logger(label: "emporium.test.messaging")

    static func make(_ name: String = "messaging") async throws -> MessagingFixture {
        let effects = Migration(version: 1, name: "0001_effects.sql", sql: """
            CREATE TABLE effects (id bigserial PRIMARY KEY, consumer text NOT NULL, aggregate text NOT NULL, sequence integer NOT NULL, event_id uuid NOT NULL);
            CREATE TABLE changes (id bigserial PRIMARY KEY, note text NOT NULL);
            """)
        let set = try MigrationSet(schema: schema, migrations: [effects, MessagingSchema.migration()])
        return MessagingFixture(configuration: try await TestPostgres.shared.freshDatabase(named: name, migrations: [set]))
    }

    /// Not generic on purpose: with the closure's type fixed, `try` inside `#expect` alone
    /// makes it throwing (closure effects are inferred before macros expand).
    func run(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        try await withPostgresClient(configuration, logger: logger, body)
    }

    /// Commits `events` through the outbox, as a service's command would.
    func commit(_ events: [EventEnvelope], client: PostgresClient) async throws {
        try await client.transaction(logger: logger) { connection in
            try await connection.query("INSERT INTO shop.changes (note) VALUES ('change')", logger: logger)
            try await Outbox(schema: Self.schema).append(events, on: connection, logger: logger)
        }
    }

    /// Handlers for `Ping` that record an effect in the same transaction; `fail` decides,
    /// per event, whether this attempt throws.
    func handlers(consumer: String, fail: @escaping @Sendable (Ping) -> Bool = { _ in false }) -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(Ping.self) { ping, context in
            try await context.connection.query("""
                INSERT INTO shop.effects (consumer, aggregate, sequence, event_id)
                VALUES (\(consumer), \(ping.aggregate), \(ping.sequence), \(context.envelope.eventID))
                """, logger: context.logger)
            if fail(ping) { throw HandlerFailure(aggregate: ping.aggregate, sequence: ping.sequence) }
        }
        return handlers
    }

    func processor(consumer: String = "shop-consumer", client: PostgresClient, maxAttempts: Int = 3, fail: @escaping @Sendable (Ping) -> Bool = { _ in false }) -> EventProcessor {
        var configuration = EventProcessor.Configuration(consumer: consumer, schema: Self.schema)
        configuration.maxAttempts = maxAttempts
        configuration.initialBackoff = .milliseconds(5)
        configuration.maxBackoff = .milliseconds(20)
        return EventProcessor(configuration: configuration, handlers: handlers(consumer: consumer, fail: fail), client: client, logger: logger)
    }

    /// (aggregate, sequence) of every recorded effect of `consumer`, in commit order.
    func effects(_ client: PostgresClient, consumer: String = "shop-consumer") async throws -> [(String, Int)] {
        let rows = try await client.query("SELECT aggregate, sequence FROM shop.effects WHERE consumer = \(consumer) ORDER BY id", logger: logger)
        return try await rows.decode((String, Int32).self).collectAll().map { ($0.0, Int($0.1)) }
    }

    func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        return Int(try await rows.decode(Int64.self).collectAll().first ?? 0)
    }
}

struct HandlerFailure: Error, CustomStringConvertible {
    let aggregate: String
    let sequence: Int
    var description: String { "handler refused \(aggregate)#\(sequence)" }
}

func pings(_ aggregates: [String], perAggregate: Int) throws -> [EventEnvelope] {
    // Interleaved, as commits of different aggregates are in real life.
    try (1...perAggregate).flatMap { sequence in
        try aggregates.map { try EventEnvelope(Ping(aggregate: $0, sequence: sequence)) }
    }
}

/// A publisher that records what it was given, optionally failing the first `failures` calls.
final class RecordingPublisher: EventPublisher, Sendable {
    private let state: Mutex<(events: [EventEnvelope], failuresLeft: Int)>

    init(failures: Int = 0) {
        state = Mutex(([], failures))
    }

    var events: [EventEnvelope] { state.withLock { $0.events } }

    func publish(_ events: [EventEnvelope]) async throws {
        try await Task.sleep(for: .milliseconds(1))  // a real publisher takes time; lets relays overlap
        try state.withLock { state in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw HandlerFailure(aggregate: "publisher", sequence: state.failuresLeft)
            }
            state.events += events
        }
    }
}
