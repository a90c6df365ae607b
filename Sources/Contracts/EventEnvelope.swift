public import Foundation

/// An integration event with the metadata every consumer needs: identity (for idempotency),
/// type and schema version (for decoding), aggregate (for ordering), time and correlation id
/// (for tracing).
///
/// On the wire (Kafka record value, outbox row) it is one JSON object whose `payload` member is
/// the event itself; the envelope fields are repeated as Kafka headers so that routers and
/// operators can see them without parsing the value (docs/events.md).
public struct EventEnvelope: Sendable, Equatable {
    public var eventID: UUID
    public var type: String
    public var schemaVersion: Int
    public var topic: String
    public var aggregateID: String
    public var occurredAt: Date
    public var correlationID: String?
    /// The event as JSON (an object).
    public var payload: Data

    public init(
        eventID: UUID = UUID(), type: String, schemaVersion: Int, topic: String, aggregateID: String,
        occurredAt: Date, correlationID: String? = nil, payload: Data
    ) {
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.topic = topic
        self.aggregateID = aggregateID
        self.occurredAt = occurredAt
        self.correlationID = correlationID
        self.payload = payload
    }

    /// Wraps `event`; `occurredAt` is kept to the millisecond (what JSON and PostgreSQL carry).
    public init<Event: IntegrationEvent>(
        _ event: Event, occurredAt: Date = Date(), correlationID: String? = nil, eventID: UUID = UUID()
    ) throws {
        self.init(
            eventID: eventID, type: Event.eventType, schemaVersion: Event.schemaVersion, topic: Event.topic,
            aggregateID: event.aggregateID, occurredAt: EventJSON.roundedToMilliseconds(occurredAt),
            correlationID: correlationID, payload: try EventJSON.encoder.encode(event)
        )
    }

    /// The event inside, when it is of `Event`'s type; throws ``EventDecodingError`` when the type
    /// or schema version differ or the payload does not decode.
    public func decode<Event: IntegrationEvent>(_: Event.Type) throws -> Event {
        guard type == Event.eventType else {
            throw EventDecodingError("event \(eventID) is a \(type), not a \(Event.eventType)")
        }
        guard schemaVersion == Event.schemaVersion else {
            throw EventDecodingError("event \(eventID) is \(type) schema version \(schemaVersion); this build reads version \(Event.schemaVersion)")
        }
        do {
            return try EventJSON.decoder.decode(Event.self, from: payload)
        } catch {
            throw EventDecodingError("event \(eventID) (\(type) v\(schemaVersion)) has a payload that does not decode: \(error)")
        }
    }
}

/// An event that cannot be read: never retried (it would fail the same way), parked instead.
public struct EventDecodingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
