import Contracts
import Logging
import PostgresNIO

/// What a handler gets besides the event: the envelope (id, time, correlation) and the
/// connection of the transaction that also records the event as processed. Writes through
/// `connection` commit together with that record, or not at all.
public struct EventContext: Sendable {
    public let envelope: EventEnvelope
    public let connection: PostgresConnection
    public let logger: Logger
}

/// The handlers of one consumer (a service), by event type.
public struct EventHandlers: Sendable {
    typealias Handler = @Sendable (EventEnvelope, EventContext) async throws -> Void

    var handlers: [String: Handler] = [:]
    var topicsByType: [String: String] = [:]

    public init() {}

    /// Registers the handler for `Event`; one per type (a second registration replaces the first).
    public mutating func on<Event: IntegrationEvent>(
        _: Event.Type, _ handle: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        handlers[Event.eventType] = { envelope, context in
            try await handle(try envelope.decode(Event.self), context)
        }
        topicsByType[Event.eventType] = Event.topic
    }

    /// The topics this consumer must subscribe to.
    public var topics: [String] { Array(Set(topicsByType.values)).sorted() }

    public func handles(_ type: String) -> Bool { handlers[type] != nil }

    func handler(for type: String) -> Handler? { handlers[type] }
}
