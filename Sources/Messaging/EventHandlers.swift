import Contracts
import Logging
import PostgresNIO
import Synchronization

/// What a handler gets besides the event: the envelope (id, time, correlation) and the
/// connection of the transaction that also records the event as processed. Writes through
/// `connection` commit together with that record, or not at all.
public struct EventContext: Sendable {
    public let envelope: EventEnvelope
    public let connection: PostgresConnection
    public let logger: Logger
    let committed: CommitActions

    init(envelope: EventEnvelope, connection: PostgresConnection, logger: Logger, committed: CommitActions = CommitActions()) {
        self.envelope = envelope
        self.connection = connection
        self.logger = logger
        self.committed = committed
    }

    /// Runs `action` once the handler's transaction has committed (never when it rolls back):
    /// for effects outside the database that must not announce what might not be kept, such as
    /// pushing a new notification to live clients. Best effort: a crash between the commit and
    /// the action loses the action, so what it announces must also be readable from the database.
    public func afterCommit(_ action: @escaping @Sendable () async -> Void) {
        committed.append(action)
    }
}

/// The actions a handler asked to run after its commit, in the order it asked.
final class CommitActions: Sendable {
    private let actions = Mutex<[@Sendable () async -> Void]>([])

    func append(_ action: @escaping @Sendable () async -> Void) { actions.withLock { $0.append(action) } }

    func run() async {
        for action in actions.withLock({ $0 }) { await action() }
    }
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
    /// Per route, which events the handler acts on at all (absent: every one).
    var filters: [Route: @Sendable (EventEnvelope) -> Bool] = [:]

    public init() {}

    /// Registers the handler for `Event` on its topic (a second registration replaces the first).
    public mutating func on<Event: IntegrationEvent>(
        _: Event.Type, _ handle: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        handlers[Route(topic: Event.topic, type: Event.eventType)] = { envelope, context in
            try await handle(try envelope.decode(Event.self), context)
        }
    }

    /// Registers the handler for only the `Event`s `relevant` accepts. The others are acknowledged
    /// without a transaction or an inbox record — they would change nothing, and a redelivery is
    /// filtered the same way — so a consumer that cares about two statuses of ten pays for two.
    public mutating func on<Event: IntegrationEvent>(
        _: Event.Type, when relevant: @escaping @Sendable (Event) -> Bool, _ handle: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        on(Event.self, handle)
        // An event that does not decode goes to the handler's path, which parks it.
        filters[Route(topic: Event.topic, type: Event.eventType)] = { envelope in (try? envelope.decode(Event.self)).map(relevant) ?? true }
    }

    /// Whether the handler of `event` would act on it (false: acknowledge it as ignored).
    func isRelevant(_ event: EventEnvelope) -> Bool {
        filters[Route(topic: event.topic, type: event.type)]?(event) ?? true
    }

    /// The topics this consumer must subscribe to.
    public var topics: [String] { Array(Set(handlers.keys.map(\.topic))).sorted() }

    public func handles(_ event: EventEnvelope) -> Bool { handler(for: event) != nil }

    func handler(for event: EventEnvelope) -> Handler? { handlers[Route(topic: event.topic, type: event.type)] }
}
