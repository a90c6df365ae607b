import Contracts
import Synchronization

/// The single-node event bus: the outbox relay's batches go straight to the local consumers'
/// ``EventProcessor``s, with the same inbox, retry and dead-letter behaviour as over Kafka.
///
/// Each consumer takes the events of a batch it wants in outbox order, a group of them per
/// transaction (``EventProcessor/processTogether(_:)``): per event that is a few statements
/// instead of a transaction of its own. Consumers run concurrently, at most `concurrency` at a
/// time (each holds a database connection), and each takes one batch at a time even when
/// several relays publish at once, so two groups of one consumer never lock rows against each
/// other. `publish` returns when every interested consumer has handled or parked every event, so
/// the relay marks a batch published only then; if the process dies first, the batch is relayed
/// again and the inboxes skip what was already handled.
public final class InProcessEventBus: EventPublisher, Sendable {
    private struct Consumer: Sendable {
        let processor: EventProcessor
        let turn: AsyncSemaphore
    }

    private let consumers = Mutex<[Consumer]>([])
    private let slots: AsyncSemaphore
    let concurrency: Int

    public init(concurrency: Int = 8) {
        self.concurrency = max(1, concurrency)
        self.slots = AsyncSemaphore(permits: self.concurrency)
    }

    /// Adds a consumer; register every consumer before the relays start.
    public func register(_ processor: EventProcessor) {
        consumers.withLock { $0.append(Consumer(processor: processor, turn: AsyncSemaphore(permits: 1))) }
    }

    public func publish(_ events: [EventEnvelope]) async throws {
        let consumers = consumers.withLock { $0 }
        let slots = slots
        try await withThrowingTaskGroup(of: Void.self) { group in
            for consumer in consumers {
                let wanted = consumer.processor.work(for: events)
                guard !wanted.isEmpty else { continue }
                group.addTask {
                    // Its own turn first, then a slot: a consumer waiting for its turn holds no slot.
                    try await consumer.turn.withPermit {
                        try await slots.withPermit { try await consumer.processor.processTogether(wanted) }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
