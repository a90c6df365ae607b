import Contracts
import Database
import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Publishes one service's committed outbox rows, oldest first, and marks them published.
///
/// Wakes on the NOTIFY that ``Outbox/append(_:on:logger:)`` queues, and polls every
/// `pollInterval` as a fallback (a lost LISTEN connection, a NOTIFY sent while reconnecting).
///
/// Several relays (one per node) may run against one schema. Each batch is published inside a
/// transaction that holds a transaction-level advisory lock for the schema, so only one relay
/// publishes at a time: no row is published concurrently by two relays, and an aggregate's
/// events leave in commit order. A relay that finds the lock taken just waits for its next wake.
/// A batch is marked published only after the publisher accepted all of it; on failure the
/// transaction rolls back and the batch is retried (at-least-once; consumers deduplicate).
public final class OutboxRelay: Service, Sendable {
    public struct Configuration: Sendable {
        public var schema: String
        public var batchSize = 500
        public var pollInterval: Duration = .milliseconds(500)
        /// Published rows older than this are deleted.
        public var retention: Duration = .seconds(24 * 3600)
        /// Inbox records (`processed_events`) older than this are deleted; redeliveries older than
        /// this would be handled again, so keep it well above any broker retention you replay.
        public var processedRetention: Duration = .seconds(7 * 24 * 3600)
        public var maintenanceInterval: Duration = .seconds(60)
        public var maxFailureBackoff: Duration = .seconds(5)

        public init(schema: String) {
            self.schema = schema
        }
    }

    public let configuration: Configuration
    let client: PostgresClient
    let publisher: any EventPublisher
    let logger: Logger
    let metrics: MessagingMetrics

    public init(configuration: Configuration, client: PostgresClient, publisher: any EventPublisher, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.configuration = configuration
        self.client = client
        self.publisher = publisher
        self.logger = logger
        self.metrics = MessagingMetrics(factory: metricsFactory)
    }

    public func run() async throws {
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wake.yield()  // whatever is already waiting
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listen(wake) }
            group.addTask {
                while (try? await Task.sleep(for: self.configuration.pollInterval)) != nil { wake.yield() }
            }
            // Graceful shutdown ends the wake-ups: the batch in flight completes, then the loop ends.
            await withGracefulShutdownHandler {
                await self.relayLoop(wakeups)
            } onGracefulShutdown: {
                wake.finish()
            }
            group.cancelAll()
        }
    }

    /// Publishes until the outbox is drained, once per wake-up.
    private func relayLoop(_ wakeups: AsyncStream<Void>) async {
        let clock = ContinuousClock()
        var nextMaintenance = clock.now
        var failures = 0
        for await _ in wakeups {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    let published = try await relayBatch()
                    failures = 0
                    if published < configuration.batchSize { break }
                } catch {
                    failures += 1
                    logger.warning("outbox relay cannot publish; will retry", metadata: [
                        "schema": "\(configuration.schema)", "failures": "\(failures)", "error": "\(String(reflecting: error))",
                    ])
                    let backoff = min(Duration.milliseconds(100) * (1 << min(failures - 1, 10)), configuration.maxFailureBackoff)
                    try? await Task.sleep(for: backoff)
                    break
                }
            }
            if clock.now >= nextMaintenance {
                nextMaintenance = clock.now.advanced(by: configuration.maintenanceInterval)
                await maintain()
            }
        }
    }

    /// Publishes at most one batch; returns how many rows it published (0 when another relay
    /// holds the lock).
    @discardableResult
    public func relayBatch() async throws -> Int {
        let schema = configuration.schema
        let logger = logger
        let limit = configuration.batchSize
        let publisher = publisher
        let events: [EventEnvelope] = try await client.transaction(logger: logger) { connection in
            let lockKey = "emporium.outbox.\(schema)"
            // The same statement turns bitmap scans off for this transaction. A published row's
            // old version stays in `outbox_unpublished` until a vacuum, and a bitmap scan visits
            // every such heap page on every batch (400 pages, 1–2 ms a batch at 40 checkouts/s);
            // a plain index scan marks the dead entries as it passes, and the next ones skip them
            // (about 70 pages, 0.2 ms; docs/BENCHMARKS.md, #18).
            let locked = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(hashtext(\(lockKey))), set_config('enable_bitmapscan', 'off', true)", logger: logger
            ).decode((Bool, String).self).collectAll().first?.0 ?? false
            guard locked else { return [] }
            let select = PostgresQuery(unsafeSQL: """
                SELECT id, event_id, topic, aggregate_id, event_type, schema_version, correlation_id, occurred_at, payload::text
                FROM \(schema).outbox WHERE published_at IS NULL ORDER BY id LIMIT \(limit)
                """)
            var ids: [Int64] = []
            var events: [EventEnvelope] = []
            let rows = try await connection.query(select, logger: logger)
            for try await (id, eventID, topic, aggregate, type, version, correlation, occurredAt, payload)
                in rows.decode((Int64, UUID, String, String, String, Int32, String?, Date, String).self) {
                ids.append(id)
                events.append(EventEnvelope(
                    eventID: eventID, type: type, schemaVersion: Int(version), topic: topic, aggregateID: aggregate,
                    occurredAt: occurredAt, correlationID: correlation, payload: Data(payload.utf8)))
            }
            guard !events.isEmpty else { return [] }
            try await publisher.publish(events)
            try await connection.query(
                PostgresQuery(unsafeSQL: "UPDATE \(schema).outbox SET published_at = now() WHERE id = ANY($1)", binds: Self.bind(ids)),
                logger: logger)
            return events
        }
        if !events.isEmpty { metrics.published(schema: schema, events: events, at: Date()) }
        return events.count
    }

    /// Samples the backlog and prunes old published rows and inbox records.
    public func maintain() async {
        let schema = configuration.schema
        do {
            let backlog = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).outbox WHERE published_at IS NULL"), logger: logger)
                .decode(Int64.self).collectAll().first ?? 0
            metrics.backlog(schema: schema, rows: Int(backlog))
            try await client.query(PostgresQuery(unsafeSQL: """
                DELETE FROM \(schema).outbox WHERE published_at < now() - make_interval(secs => \(Self.seconds(configuration.retention)))
                """), logger: logger)
            try await client.query(PostgresQuery(unsafeSQL: """
                DELETE FROM \(schema).processed_events WHERE processed_at < now() - make_interval(secs => \(Self.seconds(configuration.processedRetention)))
                """), logger: logger)
        } catch {
            logger.warning("outbox maintenance failed; will retry", metadata: ["schema": "\(schema)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Holds a LISTEN on the schema's channel and turns each notification into a wake-up;
    /// reconnects after a second when the connection is lost. Ends when cancelled.
    private func listen(_ wake: AsyncStream<Void>.Continuation) async {
        let channel = MessagingSchema.notifyChannel(schema: configuration.schema)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        wake.yield()  // catch up on anything committed while not listening
                        for try await _ in notifications { wake.yield() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("outbox LISTEN connection lost; polling until it is back", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    static func seconds(_ duration: Duration) -> Int64 { duration.components.seconds }

    static func bind(_ ids: [Int64]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 1)
        binds.append(ids)
        return binds
    }
}
