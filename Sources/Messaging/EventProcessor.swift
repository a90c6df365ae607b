import Contracts
import Database
import Foundation
import Logging
import Metrics
import PostgresNIO

/// Handles events for one consumer (a service) exactly once in effect, whatever delivers them.
///
/// Each event is handled in one transaction that first records its id in `processed_events`:
/// a redelivered event finds its id there and is skipped, and a failed handler rolls back both
/// its effect and the record. Failures are retried with exponential backoff; after
/// `maxAttempts`, or at once for an event that cannot be decoded, the event is parked in
/// `dead_letters` with the error, where `emporium events dead-letters` shows it.
///
/// Used the same way by the in-process bus and by the Kafka consumer (docs/events.md).
public struct EventProcessor: Sendable {
    public struct Configuration: Sendable {
        /// Name of the consuming service; the key in `processed_events` and `dead_letters`, and
        /// the Kafka consumer group.
        public var consumer: String
        /// The consumer's PostgreSQL schema (where its inbox and dead letters live).
        public var schema: String
        public var maxAttempts = 5
        public var initialBackoff: Duration = .milliseconds(50)
        public var maxBackoff: Duration = .seconds(2)

        public init(consumer: String, schema: String) {
            self.consumer = consumer
            self.schema = schema
        }
    }

    public enum Outcome: Sendable, Equatable {
        case handled
        /// Already handled earlier (redelivery).
        case duplicate
        /// No handler for this event type here.
        case ignored
        case deadLettered
    }

    public let configuration: Configuration
    let handlers: EventHandlers
    let client: PostgresClient
    let logger: Logger
    let metrics: MessagingMetrics

    public init(configuration: Configuration, handlers: EventHandlers, client: PostgresClient, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.configuration = configuration
        self.handlers = handlers
        self.client = client
        self.logger = logger
        self.metrics = MessagingMetrics(factory: metricsFactory)
    }

    public var topics: [String] { handlers.topics }

    public func wants(_ event: EventEnvelope) -> Bool { handlers.handles(event) && handlers.isRelevant(event) }

    /// Handles `event`, retrying as configured. Throws only when the event could be neither
    /// handled nor parked (the database is unreachable): the caller must then not acknowledge
    /// it, so that it is delivered again.
    @discardableResult
    public func process(_ event: EventEnvelope) async throws -> Outcome {
        guard let handler = handlers.handler(for: event), handlers.isRelevant(event) else { return .ignored }
        return try await process(event, handler)
    }

    /// ``process(_:)`` with the handler already chosen.
    @discardableResult
    func process(_ event: EventEnvelope, _ handler: EventHandlers.Handler) async throws -> Outcome {
        var attempt = 0
        while true {
            attempt += 1
            let failure: any Error
            do {
                let outcome = try await handleOnce(event, handler)
                // Duplicates are not counted: their age says nothing about this consumer's lag.
                if outcome == .handled { metrics.consumerLag(event, consumer: configuration.consumer) }
                return outcome
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = error
            }
            metrics.handlerFailed(consumer: configuration.consumer, type: event.type)
            let permanent = failure is EventDecodingError
            if permanent || attempt >= configuration.maxAttempts {
                try await park(event, error: failure, attempts: attempt)
                return .deadLettered
            }
            logger.warning("event handler failed; retrying", metadata: [
                "event.id": "\(event.eventID)", "event.type": "\(event.type)", "attempt": "\(attempt)",
                "error": "\(String(reflecting: failure))",
            ])
            try await Task.sleep(for: backoff(after: attempt))
        }
    }

    func backoff(after attempt: Int) -> Duration {
        let exponent = min(attempt - 1, 20)
        let delay = configuration.initialBackoff * (1 << exponent)
        let capped = min(delay, configuration.maxBackoff)
        // Up to 20% jitter, so consumers that failed together do not retry in lockstep.
        return capped * Double.random(in: 0.8...1.0)
    }

    /// Handles `events` in their order, as ``process(_:)`` would one by one, but up to
    /// `eventsPerTransaction` of them in one transaction with one inbox insert: a relay batch
    /// costs this consumer a few commits instead of one per event (docs/events.md).
    ///
    /// If any handler of a group fails, the group's transaction rolls back — every event of it
    /// with its inbox record — and its events go through ``process(_:)`` one by one, with the
    /// usual retries and dead letters, so one bad event cannot hold up or take down the others.
    public func processTogether(_ events: [EventEnvelope]) async throws {
        try await processTogether(work(for: events))
    }

    /// The events of `events` this consumer acts on, with their handlers, in order.
    func work(for events: [EventEnvelope]) -> [Work] {
        events.compactMap { event in
            handlers.handler(for: event).flatMap { handler in handlers.isRelevant(event) ? (event, handler) : nil }
        }
    }

    typealias Work = (EventEnvelope, EventHandlers.Handler)

    /// ``processTogether(_:)`` for work already chosen (each relevance check decodes the event).
    func processTogether(_ work: [Work]) async throws {
        guard work.count > 1 else {
            for (event, handler) in work { try await process(event, handler) }
            return
        }
        for start in stride(from: 0, to: work.count, by: Self.eventsPerTransaction) {
            let group = Array(work[start..<min(start + Self.eventsPerTransaction, work.count)])
            do {
                try await handleTogether(group)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.debug("a handler failed in a group; handling its events one by one", metadata: [
                    "consumer": "\(configuration.consumer)", "events": "\(group.count)", "error": "\(String(reflecting: error))",
                ])
                for (event, handler) in group { try await process(event, handler) }
            }
        }
    }

    /// Enough to amortise the transaction; few enough that the locks a group takes are not held
    /// for long.
    static let eventsPerTransaction = 64

    private func handleTogether(_ work: [Work]) async throws {
        let consumer = configuration.consumer
        let logger = logger
        let schema = configuration.schema
        let committed = CommitActions()
        let handled: [EventEnvelope] = try await client.transaction(logger: logger) { connection in
            var binds = PostgresBindings(capacity: 2)
            binds.append(consumer)
            binds.append(work.map(\.0.eventID))
            let claim = PostgresQuery(unsafeSQL: """
                INSERT INTO \(schema).processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[])
                ON CONFLICT DO NOTHING RETURNING event_id
                """, binds: binds)
            var claimed = Set<UUID>()
            for try await id in try await connection.query(claim, logger: logger).decode(UUID.self) { claimed.insert(id) }
            var handled: [EventEnvelope] = []
            let appends = DeferredAppends(connection: connection)
            try await Outbox.$deferred.withValue(appends) {
                // `remove`: an event twice in one batch is claimed once and handled once.
                for (event, handler) in work where claimed.remove(event.eventID) != nil {
                    try await handler(event, EventContext(envelope: event, connection: connection, logger: logger, committed: committed))
                    handled.append(event)
                }
            }
            try await appends.flush(logger: logger)
            return handled
        }
        for event in handled { metrics.consumerLag(event, consumer: consumer) }
        await committed.run()
    }

    private func handleOnce(_ event: EventEnvelope, _ handler: EventHandlers.Handler) async throws -> Outcome {
        let consumer = configuration.consumer
        let logger = logger
        let schema = configuration.schema
        let committed = CommitActions()
        let outcome: Outcome = try await client.transaction(logger: logger) { connection in
            // A concurrent delivery of the same event blocks here until the first commits, then
            // sees the conflict: never handled twice.
            var binds = PostgresBindings(capacity: 2)
            binds.append(consumer)
            binds.append(event.eventID)
            let claim = PostgresQuery(unsafeSQL: """
                INSERT INTO \(schema).processed_events (consumer, event_id) VALUES ($1, $2)
                ON CONFLICT DO NOTHING RETURNING 1
                """, binds: binds)
            let claimed = try await connection.query(claim, logger: logger).collectAll().count == 1
            guard claimed else { return .duplicate }
            try await handler(event, EventContext(envelope: event, connection: connection, logger: logger, committed: committed))
            return .handled
        }
        if outcome == .handled { await committed.run() }
        return outcome
    }

    /// Parks an event that could not even be read (no handler can run), with the reason.
    public func parkUnreadable(_ event: EventEnvelope, error: any Error) async throws {
        metrics.handlerFailed(consumer: configuration.consumer, type: event.type)
        try await park(event, error: error, attempts: 1)
    }

    private func park(_ event: EventEnvelope, error: any Error, attempts: Int) async throws {
        let text = String(reflecting: error)
        logger.error("event parked in dead letters after \(attempts) attempt(s); fix the cause, then run `emporium events redrive`", metadata: [
            "event.id": "\(event.eventID)", "event.type": "\(event.type)", "consumer": "\(configuration.consumer)",
            "error": "\(text)",
        ])
        // A payload that is not JSON (a foreign producer's bytes) cannot go into the jsonb
        // column as it is: it is kept as a JSON string under "raw".
        let payload = Self.isJSON(event.payload)
            ? String(decoding: event.payload, as: UTF8.self)
            : Self.jsonObject(["raw": String(decoding: event.payload, as: UTF8.self)])
        do {
            try await insertDeadLetter(event, payload: payload, error: text, attempts: attempts)
        } catch let insertError where Self.isDataException(insertError) {
            // Bytes PostgreSQL cannot store (NUL in text, \u0000 in jsonb): without this, a record
            // that can be neither handled nor parked would block its partition forever.
            var clean = event
            clean.topic = Self.withoutNUL(event.topic)
            clean.aggregateID = Self.withoutNUL(event.aggregateID)
            clean.type = Self.withoutNUL(event.type)
            clean.correlationID = event.correlationID.map(Self.withoutNUL)
            try await insertDeadLetter(
                clean, payload: Self.jsonObject(["rawBase64": event.payload.base64EncodedString()]),
                error: Self.withoutNUL(text), attempts: attempts)
        }
        metrics.deadLettered(consumer: configuration.consumer, type: event.type)
    }

    private func insertDeadLetter(_ event: EventEnvelope, payload: String, error: String, attempts: Int) async throws {
        var binds = PostgresBindings(capacity: 11)
        binds.append(configuration.consumer)
        binds.append(event.eventID)
        binds.append(event.topic)
        binds.append(event.aggregateID)
        binds.append(event.type)
        binds.append(Int32(clamping: event.schemaVersion))
        binds.append(event.correlationID)
        binds.append(event.occurredAt)
        binds.append(payload)
        binds.append(String(error.prefix(4000)))
        binds.append(Int32(clamping: attempts))
        try await client.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(configuration.schema).dead_letters
                (consumer, event_id, topic, aggregate_id, event_type, schema_version, correlation_id, occurred_at, payload, error, attempts)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)
            """, binds: binds), logger: logger)
    }

    /// SQLSTATE class 22: the values, not the database, are the problem.
    static func isDataException(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState]?.hasPrefix("22") ?? false
    }

    static func withoutNUL(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "") : text
    }

    static func jsonObject(_ object: [String: String]) -> String {
        String(decoding: (try? JSONEncoder().encode(object)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func isJSON(_ data: Data) -> Bool { (try? JSONSerialization.jsonObject(with: data)) != nil }

}
