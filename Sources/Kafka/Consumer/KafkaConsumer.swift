public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle

/// A consumer group member.
///
/// Run it as a `Service` (or call `run()` in a task) and iterate ``records``. Offsets are
/// committed for records the application has processed — a record counts as processed when the
/// next one is requested — periodically, on rebalance, on ``commit()`` and on shutdown, so
/// delivery is at-least-once. On graceful shutdown or cancellation the consumer commits, leaves
/// the group (so the others rebalance at once) and ends the record sequence.
///
/// Only one iteration of ``records`` at a time is supported.
public final class KafkaConsumer: Service, Sendable {
    let core: ConsumerCore
    let delivery: ConsumerDelivery
    public let configuration: KafkaConsumerConfiguration

    public init(
        configuration: KafkaConfiguration,
        consumerConfiguration: KafkaConsumerConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "kafka.consumer")
    ) {
        let cluster = KafkaCluster(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.delivery = ConsumerDelivery()
        self.configuration = consumerConfiguration
        self.core = ConsumerCore(cluster: cluster, configuration: consumerConfiguration, delivery: delivery, logger: logger)
    }

    /// Runs group membership until graceful shutdown or cancellation.
    /// - Throws: ``KafkaError`` when membership fails for good (e.g. authorization).
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await core.runGroup()
            } onCancel: {
                self.core.requestShutdown()
            }
        } onGracefulShutdown: {
            self.core.requestShutdown()
        }
    }

    /// Leaves the group; `run()` returns and ``records`` ends.
    public func shutdown() { core.requestShutdown() }

    /// Commits every record handed out so far (including the last one) and waits for the answer.
    public func commit() async throws { try await core.commitNow() }

    /// Assignment and revocation, as they happen (buffered; ends when `run()` returns).
    public var events: AsyncStream<KafkaConsumerEvent> { core.events }

    /// The records of the assigned partitions, in offset order per partition.
    public var records: Records { Records(consumer: self) }

    public struct Records: AsyncSequence, Sendable {
        public typealias Element = KafkaConsumerRecord
        let consumer: KafkaConsumer

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(batches: Batches(consumer: consumer, limit: 1).makeAsyncIterator()) }

        /// Batches of one.
        public struct AsyncIterator: AsyncIteratorProtocol {
            var batches: Batches.AsyncIterator

            public mutating func next() async throws -> KafkaConsumerRecord? {
                try await batches.next()?.first
            }
        }
    }

    /// The records of the assigned partitions as they were fetched, at most `limit` at a time, in
    /// offset order per partition: a whole batch counts as processed when the next one is
    /// requested. Use either this or ``records``, not both.
    public func batches(limit: Int) -> Batches { Batches(consumer: self, limit: limit) }

    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = [KafkaConsumerRecord]
        let consumer: KafkaConsumer
        let limit: Int

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer, limit: limit) }

        public struct AsyncIterator: AsyncIteratorProtocol {
            let consumer: KafkaConsumer
            let limit: Int

            public mutating func next() async throws -> [KafkaConsumerRecord]? {
                while true {
                    switch consumer.delivery.nextBatch(limit: limit) {
                    case .batch(let records):
                        return records
                    case .finished(let error):
                        if let error { throw error }
                        return nil
                    case .empty:
                        try Task.checkCancellation()
                        await consumer.core.fill()
                    }
                }
            }
        }
    }

    /// Simulates a crash: stops at once without committing or leaving the group.
    func abort() async { await core.abort() }
}
