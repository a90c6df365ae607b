import Contracts
import Synchronization

/// The single-node event bus: the outbox relay's batches go straight to the local consumers'
/// ``EventProcessor``s, with the same inbox, retry and dead-letter behaviour as over Kafka.
///
/// Events of one aggregate are processed one after another in outbox order; different
/// aggregates are processed concurrently (at most `concurrency` at a time). `publish` returns
/// when every interested consumer has handled or parked every event, so the relay marks a
/// batch published only then; if the process dies first, the batch is relayed again and the
/// inboxes skip what was already handled.
public final class InProcessEventBus: EventPublisher, Sendable {
    private let processors = Mutex<[EventProcessor]>([])
    let concurrency: Int

    public init(concurrency: Int = 8) {
        self.concurrency = max(1, concurrency)
    }

    /// Adds a consumer; register every consumer before the relays start.
    public func register(_ processor: EventProcessor) {
        processors.withLock { $0.append(processor) }
    }

    public func publish(_ events: [EventEnvelope]) async throws {
        let processors = processors.withLock { $0 }
        var lanes: [String: [EventEnvelope]] = [:]
        var order: [String] = []
        for event in events where processors.contains(where: { $0.wants(event) }) {
            if lanes[event.aggregateID] == nil { order.append(event.aggregateID) }
            lanes[event.aggregateID, default: []].append(event)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for aggregate in order {
                if running == concurrency {
                    try await group.next()
                    running -= 1
                }
                let lane = lanes[aggregate]!
                group.addTask {
                    for event in lane {
                        for processor in processors where processor.wants(event) {
                            try await processor.process(event)
                        }
                    }
                }
                running += 1
            }
            try await group.waitForAll()
        }
    }
}
