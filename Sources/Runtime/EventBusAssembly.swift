import Caching
import Contracts
import Kafka
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// The event flow of one process: an outbox relay per served schema, and the consumers of the
/// served services, over the in-process bus (no `EMPORIUM_KAFKA_BROKERS`) or Kafka.
struct EventBusAssembly {
    /// Background services, in start order (they stop in reverse: consumers and relays before
    /// the producer they use).
    var services: [any Service] = []
    /// Run before the relays and consumers start (after migrations): creates missing topics.
    var prepare: @Sendable () async throws -> Void = {}
    /// Where events published directly (not through an outbox) go: the edge's view counts.
    var direct: any EventPublisher

    /// - Parameters:
    ///   - services: the services whose outboxes this process relays.
    ///   - processors: the consumers this process runs.
    ///   - invalidation: where the relays invalidate response-cache tags of committed events.
    init(
        configuration: RuntimeConfiguration, services descriptors: [ServiceDescriptor], processors: [EventProcessor],
        invalidation: (any TagInvalidation)? = nil, client: PostgresClient, logger: Logger
    ) throws {
        let schemas = descriptors.map(\.schema)
        let tags = GatewayAssembly.invalidatedTags(of: descriptors)
        func relayed(_ publisher: any EventPublisher) -> any EventPublisher {
            guard let invalidation else { return publisher }
            return CacheInvalidatingPublisher(inner: publisher, invalidation: invalidation, tags: tags, logger: logger)
        }
        guard let brokers = configuration.kafkaBrokers else {
            // Consumers run inside the relay's publish, which holds a connection; the relays and
            // their LISTENs hold two per schema. What is left is shared with HTTP requests.
            let bus = InProcessEventBus(concurrency: max(1, min(8, (configuration.databasePoolSize - 2 * schemas.count) / 2)))
            for processor in processors { bus.register(processor) }
            direct = bus
            services = schemas.map { OutboxRelay(configuration: .init(schema: $0), client: client, publisher: relayed(bus), logger: logger) }
            return
        }
        let kafka = try KafkaConfiguration(bootstrapServers: brokers)
        let producer = KafkaProducer(configuration: kafka, logger: logger)
        let publisher = KafkaEventPublisher(producer: producer)
        direct = publisher
        services = [producer]
        services += schemas.map { OutboxRelay(configuration: .init(schema: $0), client: client, publisher: relayed(publisher), logger: logger) }
        let fetchWait = configuration.kafkaFetchWait
        services += processors.map {
            KafkaEventConsumer(processor: $0, kafka: kafka, logger: logger) { settings in settings.fetchMaxWait = fetchWait }
        }
        let partitions = Int32(configuration.kafkaTopicPartitions)
        let replication = Int16(configuration.kafkaReplicationFactor)
        let topics = Set(processors.flatMap(\.topics) + descriptors.flatMap(\.publishes)).sorted()
        prepare = {
            let admin = KafkaAdmin(configuration: kafka, logger: logger)
            do {
                for topic in topics {
                    do {
                        try await admin.createTopic(topic, partitions: partitions, replicationFactor: replication)
                        logger.info("created Kafka topic", metadata: ["topic": "\(topic)", "partitions": "\(partitions)"])
                    } catch let error as KafkaError where error.code == .topicAlreadyExists {
                        continue
                    }
                }
            } catch {
                await admin.close()
                throw error
            }
            await admin.close()
        }
    }
}
