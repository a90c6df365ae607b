import Contracts
import Foundation
import Kafka
import Logging
import NIOCore
import ServiceLifecycle

/// Publishes events to Kafka: topic from the event, key = aggregate id (so an aggregate's
/// events stay on one partition, in order), value = the envelope's JSON, envelope fields as
/// headers. Returns when Kafka has acknowledged every event (`acks=all`).
///
/// The producer must be running (`KafkaProducer.run()`, e.g. as a service).
public struct KafkaEventPublisher: EventPublisher {
    let producer: KafkaProducer

    public init(producer: KafkaProducer) {
        self.producer = producer
    }

    public func publish(_ events: [EventEnvelope]) async throws {
        // Enqueued one by one in outbox order (the producer keeps per-partition order), then
        // awaited together so a batch costs about one round trip.
        var deliveries: [KafkaDelivery] = []
        deliveries.reserveCapacity(events.count)
        for event in events {
            deliveries.append(try await producer.enqueue(
                topic: event.topic, key: ByteBuffer(string: event.aggregateID), value: ByteBuffer(bytes: try event.encoded()),
                headers: event.headers.map { KafkaHeader(key: $0.name, value: $0.value) }))
        }
        for delivery in deliveries { _ = try await delivery.metadata }
    }
}

/// One service's consumer on Kafka: a consumer group named after the service, subscribed to the
/// topics of its handlers, feeding the records of each fetch to its ``EventProcessor`` together
/// (``EventProcessor/processTogether(_:)``: a group of events per transaction).
///
/// A record's offset is committed only after the processor handled or parked it. When even
/// parking fails (the database is down) the same records are retried with backoff until they
/// succeed or the service stops — none is skipped; those already handled are skipped by the inbox.
public final class KafkaEventConsumer: Service, Sendable {
    let processor: EventProcessor
    let consumer: KafkaConsumer
    let logger: Logger

    /// - Parameter configure: adjusts the consumer settings (the group id and topics are set
    ///   from the processor; offsets reset to `earliest`, so a new service reads all history;
    ///   fetches wait at most 100 ms).
    public init(
        processor: EventProcessor, kafka: KafkaConfiguration, logger: Logger,
        configure: (inout KafkaConsumerConfiguration) -> Void = { _ in }
    ) {
        var settings = KafkaConsumerConfiguration(groupID: processor.configuration.consumer, topics: processor.topics)
        settings.autoOffsetReset = .earliest
        // Events are few and latency matters: a short fetch wait bounds the delay on brokers
        // that hold a waiting fetch even after records arrive (Tansu does, for about half of it).
        settings.fetchMaxWait = .milliseconds(100)
        configure(&settings)
        self.processor = processor
        self.consumer = KafkaConsumer(configuration: kafka, consumerConfiguration: settings, logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.consumer.run() }
            do {
                for try await records in consumer.batches(limit: EventProcessor.eventsPerTransaction) {
                    try await handle(records)
                }
            } catch is CancellationError {
                // Shut down while a record could not be processed: it was not acknowledged (the
                // next one was never requested), so it is delivered again after the restart.
                consumer.shutdown()
            }
            try await group.waitForAll()
        }
    }

    /// Stops consuming: commits what was processed and leaves the group.
    public func shutdown() { consumer.shutdown() }

    private func handle(_ records: [KafkaConsumerRecord]) async throws {
        var failures = 0
        // Unreadable records are parked first (they have no effect to order), each once even
        // when the rest is retried.
        var envelopes: [EventEnvelope] = []
        var read = 0
        while true {
            do {
                while read < records.count {
                    do {
                        envelopes.append(try Self.envelope(of: records[read]))
                    } catch let error as EventDecodingError {
                        try await processor.parkUnreadable(Self.unreadableEnvelope(of: records[read]), error: error)
                    }
                    read += 1
                }
                try await processor.processTogether(envelopes)
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failures += 1
                let first = records.first
                logger.error("cannot process or park events; retrying the same records", metadata: [
                    "topic": "\(first?.topic ?? "")", "partition": "\(first?.partition ?? 0)", "offset": "\(first?.offset ?? 0)",
                    "records": "\(records.count)", "failures": "\(failures)", "error": "\(String(reflecting: error))",
                ])
                // A graceful shutdown interrupts the wait (as a CancellationError, handled in run()).
                let backoff = min(Duration.milliseconds(100) * (1 << min(failures - 1, 10)), .seconds(10))
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: backoff) }
            }
        }
    }

    static func envelope(of record: KafkaConsumerRecord) throws -> EventEnvelope {
        guard var value = record.value, let bytes = value.readBytes(length: value.readableBytes) else {
            throw EventDecodingError("record \(record.topic)/\(record.partition)@\(record.offset) has no value")
        }
        return try EventEnvelope(encoded: Data(bytes))
    }

    /// What can be recovered of an unreadable record, for its dead letter: ids and type from the
    /// headers when present, the value bytes as the payload.
    static func unreadableEnvelope(of record: KafkaConsumerRecord) -> EventEnvelope {
        func header(_ name: String) -> String? {
            record.headers.first { $0.key == name }?.value.map { String(buffer: $0) }
        }
        var value = record.value ?? ByteBuffer()
        return EventEnvelope(
            eventID: header(EventEnvelope.Header.eventID).flatMap(UUID.init(uuidString:)) ?? UUID(),
            type: header(EventEnvelope.Header.type) ?? "unreadable", schemaVersion: header(EventEnvelope.Header.schemaVersion).flatMap { Int($0) } ?? 0,
            topic: record.topic, aggregateID: header(EventEnvelope.Header.aggregateID) ?? record.key.map { String(buffer: $0) } ?? "",
            occurredAt: Date(timeIntervalSince1970: Double(record.timestamp) / 1000),
            correlationID: header(EventEnvelope.Header.correlationID),
            payload: Data(value.readBytes(length: value.readableBytes) ?? []))
    }
}
