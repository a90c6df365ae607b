import Contracts

/// Where the outbox relay hands committed events: Kafka in the distributed topology, the local
/// consumers in the single-node one.
///
/// `publish` returns only when every event is durably accepted (Kafka acknowledged it with
/// `acks=all`, or every local consumer handled or parked it). A throw means none of them may be
/// considered published: the relay retries the whole batch, and consumers deduplicate.
/// Events are given in outbox order and must stay in that order per aggregate.
public protocol EventPublisher: Sendable {
    func publish(_ events: [EventEnvelope]) async throws
}
