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

/// The handlers of one consumer (a service), by topic and event type.
///
/// Keyed by both: when a breaking change publishes `ProductCreated` on `catalog.product.v1` and
/// `.v2` side by side, a consumer registered for one version never receives the other's copy.
public struct EventHandlers: Sendable {
    typealias Handler = @Sendable (EventEnvelope, EventContext) async throws -> Void

    struct Route: Hashable {
        var topic: String
        var type: String
    }

    var handlers: [Route: Handler] = [:]

    public init() {}

    /// Registers the handler for `Event` on its topic (a second registration replaces the first).
    public mutating func on<Event: IntegrationEvent>(
        _: Event.Type, _ handle: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        handlers[Route(topic: Event.topic, type: Event.eventType)] = { envelope, context in
            try await handle(try envelope.decode(Event.self), context)
        }
    }

    /// The topics this consumer must subscribe to.
    public var topics: [String] { Array(Set(handlers.keys.map(\.topic))).sorted() }

    public func handles(_ event: EventEnvelope) -> Bool { handler(for: event) != nil }

    func handler(for event: EventEnvelope) -> Handler? { handlers[Route(topic: event.topic, type: event.type)] }
}
