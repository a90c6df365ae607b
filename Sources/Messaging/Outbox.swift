import Contracts
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Appends integration events to a service's `outbox` table, on the caller's connection and so
/// inside the caller's transaction: the events commit or roll back with the change they describe.
public struct Outbox: Sendable {
    public let schema: String

    public init(schema: String) {
        self.schema = schema
    }

    /// Call inside a transaction (`PostgresClient.transaction`). Also queues a NOTIFY, which
    /// PostgreSQL delivers only at commit, to wake the relay without waiting for its next poll.
    public func append(_ events: [EventEnvelope], on connection: PostgresConnection, logger: Logger) async throws {
        guard !events.isEmpty else { return }
        if let deferred = Self.deferred, deferred.hold(events, schema: schema, on: connection) { return }
        try await write(events, on: connection, logger: logger)
    }

    /// Set while a consumer handles a group of events in one transaction: appends on that
    /// transaction's connection wait there and go in together before it commits
    /// (``DeferredAppends``).
    @TaskLocal static var deferred: DeferredAppends?

    func write(_ events: [EventEnvelope], on connection: PostgresConnection, logger: Logger) async throws {
        // 8 parameters per event; PostgreSQL allows 65,535 per statement.
        for start in stride(from: 0, to: events.count, by: Self.eventsPerStatement) {
            let end = min(start + Self.eventsPerStatement, events.count)
            try await insert(events[start..<end], notifying: end == events.count, on: connection, logger: logger)
        }
    }

    static let eventsPerStatement = 1000

    /// `notifying`: the statement also queues the NOTIFY (one round trip for both).
    private func insert(_ events: ArraySlice<EventEnvelope>, notifying: Bool, on connection: PostgresConnection, logger: Logger) async throws {
        var bindings = PostgresBindings(capacity: events.count * 8)
        var rows: [String] = []
        for event in events {
            let base = bindings.count
            rows.append("($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5), $\(base + 6), $\(base + 7), $\(base + 8)::jsonb)")
            bindings.append(event.eventID)
            bindings.append(event.topic)
            bindings.append(event.aggregateID)
            bindings.append(event.type)
            bindings.append(Int32(clamping: event.schemaVersion))
            bindings.append(event.correlationID)
            bindings.append(event.occurredAt)
            bindings.append(String(decoding: event.payload, as: UTF8.self))
        }
        var insert = """
            INSERT INTO \(schema).outbox (event_id, topic, aggregate_id, event_type, schema_version, correlation_id, occurred_at, payload)
            VALUES \(rows.joined(separator: ", "))
            """
        if notifying {
            // A data-modifying WITH runs to completion whether or not the query reads it.
            bindings.append(MessagingSchema.notifyChannel(schema: schema))
            insert = "WITH appended AS (\(insert)) SELECT pg_notify($\(bindings.count), '')"
        }
        try await connection.query(PostgresQuery(unsafeSQL: insert, binds: bindings), logger: logger)
    }
}

/// The outbox appends of one transaction, held until it is about to commit: a group of n events
/// whose handlers each append then costs one INSERT (and one NOTIFY) instead of n. The rows keep
/// the order in which they were appended.
final class DeferredAppends: Sendable {
    private struct State {
        var bySchema: [(schema: String, events: [EventEnvelope])] = []
        var flushed = false
    }

    private let connection: PostgresConnection
    private let state = Mutex(State())

    init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Keeps `events` for the flush; false when they must be written now (another connection,
    /// or the flush already happened).
    func hold(_ events: [EventEnvelope], schema: String, on connection: PostgresConnection) -> Bool {
        guard connection === self.connection else { return false }
        return state.withLock { state in
            guard !state.flushed else { return false }
            if let index = state.bySchema.firstIndex(where: { $0.schema == schema }) {
                state.bySchema[index].events += events
            } else {
                state.bySchema.append((schema, events))
            }
            return true
        }
    }

    /// Writes what was held; later appends are written at once.
    func flush(logger: Logger) async throws {
        let held = state.withLock { state in
            state.flushed = true
            return state.bySchema
        }
        for (schema, events) in held where !events.isEmpty {
            try await Outbox(schema: schema).write(events, on: connection, logger: logger)
        }
    }
}
