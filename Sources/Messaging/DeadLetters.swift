import Contracts
import Foundation
import Logging
import PostgresNIO

/// An event a consumer gave up on, as an operator sees it.
public struct DeadLetter: Sendable, Equatable {
    public var id: Int64
    public var consumer: String
    public var event: EventEnvelope
    public var error: String
    public var attempts: Int
    public var failedAt: Date
}

/// The dead letters of one service's schema: listing and replaying them.
public struct DeadLetters: Sendable {
    public let schema: String
    let client: PostgresClient
    let logger: Logger

    public init(schema: String, client: PostgresClient, logger: Logger) {
        self.schema = schema
        self.client = client
        self.logger = logger
    }

    /// Oldest first; only `ids` when given.
    public func list(limit: Int = 100, ids: [Int64]? = nil) async throws -> [DeadLetter] {
        var binds = PostgresBindings()
        var filter = ""
        if let ids {
            binds.append(ids)
            filter = "WHERE id = ANY($1)"
        }
        let rows = try await client.query(PostgresQuery(unsafeSQL: """
            SELECT id, consumer, event_id, topic, aggregate_id, event_type, schema_version, correlation_id, occurred_at,
                   payload::text, error, attempts, failed_at
            FROM \(schema).dead_letters \(filter) ORDER BY id LIMIT \(max(0, limit))
            """, binds: binds), logger: logger)
        var letters: [DeadLetter] = []
        for try await (id, consumer, eventID, topic, aggregate, type, version, correlation, occurredAt, payload, error, attempts, failedAt)
            in rows.decode((Int64, String, UUID, String, String, String, Int32, String?, Date, String, String, Int32, Date).self) {
            letters.append(DeadLetter(
                id: id, consumer: consumer,
                event: EventEnvelope(
                    eventID: eventID, type: type, schemaVersion: Int(version), topic: topic, aggregateID: aggregate,
                    occurredAt: occurredAt, correlationID: correlation, payload: Data(payload.utf8)),
                error: error, attempts: Int(attempts), failedAt: failedAt))
        }
        return letters
    }

    public struct RedriveResult: Sendable, Equatable {
        public var handled = 0
        /// Failed again: parked anew (with a new id and the new error).
        public var parkedAgain = 0
        /// Not redriven because this process has no processor for their consumer.
        public var skipped = 0

        public init(handled: Int = 0, parkedAgain: Int = 0, skipped: Int = 0) {
            self.handled = handled
            self.parkedAgain = parkedAgain
            self.skipped = skipped
        }
    }

    /// Replays dead letters (all, or those with the given ids) through the processor of their
    /// consumer. Each row is removed only after its event was handled or parked again, so a
    /// crash mid-way replays it once more (the inbox makes that harmless).
    public func redrive(ids: [Int64]? = nil, processors: [EventProcessor]) async throws -> RedriveResult {
        var result = RedriveResult()
        let byConsumer = Dictionary(processors.map { ($0.configuration.consumer, $0) }, uniquingKeysWith: { first, _ in first })
        let letters = try await list(limit: ids?.count ?? 100_000, ids: ids)
        for letter in letters {
            guard let processor = byConsumer[letter.consumer] else {
                result.skipped += 1
                continue
            }
            switch try await processor.process(letter.event) {
            case .handled, .duplicate, .ignored: result.handled += 1
            case .deadLettered: result.parkedAgain += 1
            }
            try await client.query("DELETE FROM \(unescaped: schema).dead_letters WHERE id = \(letter.id)", logger: logger)
        }
        return result
    }
}
