import Contracts
import EmporiumTesting
import Foundation
import Kafka
import Logging
import Messaging
import PostgresNIO
import ServiceLifecycle
import Testing

/// The event bus contract, run against both adapters: the single node's in-process bus and
/// Kafka (a real Tansu broker). Outbox → relay → bus → consumer inbox → handler effect.
@Suite(.timeLimit(.minutes(3))) struct EventBusContractTests {
    enum Bus: String, CaseIterable, CustomTestStringConvertible {
        case inProcess, kafka
        var testDescription: String { rawValue }
    }

    /// Runs `body` with a publisher that delivers to `processor` over `bus`, plus a relay
    /// publishing the fixture's outbox through it.
    func withBus(
        _ bus: Bus, fixture: MessagingFixture, client: PostgresClient, processor: EventProcessor,
        _ body: @Sendable (any EventPublisher) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test.bus")
        var services: [any Service] = []
        let publisher: any EventPublisher
        switch bus {
        case .inProcess:
            let inProcess = InProcessEventBus()
            inProcess.register(processor)
            publisher = inProcess
        case .kafka:
            let broker = try await TansuBroker.shared()
            let kafka = try KafkaConfiguration(bootstrapServers: [broker.bootstrap])
            let admin = KafkaAdmin(configuration: kafka)
            do {
                try await admin.createTopic(Ping.topic, partitions: 3)
            } catch let error as KafkaError where error.code == .topicAlreadyExists {}
            await admin.close()
            let producer = KafkaProducer(configuration: kafka, logger: logger)
            publisher = KafkaEventPublisher(producer: producer)
            services = [producer, KafkaEventConsumer(processor: processor, kafka: kafka, logger: logger) { settings in
                settings.sessionTimeout = .seconds(2)
                settings.fetchMaxWait = .milliseconds(50)
            }]
        }
        var relayConfiguration = OutboxRelay.Configuration(schema: MessagingFixture.schema)
        relayConfiguration.pollInterval = .milliseconds(100)
        services.append(OutboxRelay(configuration: relayConfiguration, client: client, publisher: publisher, logger: logger))
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(publisher)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A sequence number no test batch uses: marks the event published last.
    static let sentinel = 1_000

    func effects(_ fixture: MessagingFixture, _ client: PostgresClient, consumer: String, aggregates: [String]) async throws -> [(String, Int)] {
        try await fixture.effects(client, consumer: consumer).filter { aggregates.contains($0.0) }
    }

    @Test(arguments: Bus.allCases)
    func everyEventTakesEffectOnceInOrderPerAggregate(_ bus: Bus) async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let consumer = uniqueName("contract")
            let aggregates = (1...4).map { "\(consumer)-agg-\($0)" }
            let processor = fixture.processor(consumer: consumer, client: client)
            try await withBus(bus, fixture: fixture, client: client, processor: processor) { _ in
                for round in 1...5 {  // several commits, relayed while more arrive
                    try await fixture.commit(try aggregates.map { try EventEnvelope(Ping(aggregate: $0, sequence: round)) }, client: client)
                }
                try await eventually("20 effects", timeout: .seconds(60)) {
                    try await effects(fixture, client, consumer: consumer, aggregates: aggregates).count >= 20
                }
            }
            let seen = try await effects(fixture, client, consumer: consumer, aggregates: aggregates)
            #expect(seen.count == 20)
            for aggregate in aggregates {
                #expect(seen.filter { $0.0 == aggregate }.map(\.1) == [1, 2, 3, 4, 5], "\(aggregate)")
            }
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.outbox WHERE published_at IS NULL") == 0)
        }
    }

    @Test(arguments: Bus.allCases)
    func aPoisonEventIsParkedAndTheOthersFlow(_ bus: Bus) async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let consumer = uniqueName("contract")
            let good = "\(consumer)-good"
            let poison = "\(consumer)-poison"
            let processor = fixture.processor(consumer: consumer, client: client, maxAttempts: 3) { $0.aggregate == poison }
            try await withBus(bus, fixture: fixture, client: client, processor: processor) { _ in
                try await fixture.commit(try pings([poison, good], perAggregate: 2), client: client)
                try await eventually("the good events and two dead letters", timeout: .seconds(60)) {
                    let goodCount = try await effects(fixture, client, consumer: consumer, aggregates: [good]).count
                    let parked = try await fixture.count(client, "SELECT count(*) FROM shop.dead_letters")
                    return goodCount == 2 && parked == 2
                }
            }
            let letters = try await DeadLetters(schema: MessagingFixture.schema, client: client, logger: fixture.logger).list()
            #expect(letters.map(\.event.aggregateID) == [poison, poison])
            #expect(letters.allSatisfy { $0.attempts == 3 && $0.error.contains("handler refused") })
            #expect(try await effects(fixture, client, consumer: consumer, aggregates: [poison]).isEmpty)
        }
    }

    @Test(arguments: Bus.allCases)
    func publishingABatchAgainChangesNothing(_ bus: Bus) async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let consumer = uniqueName("contract")
            let aggregates = ["\(consumer)-a", "\(consumer)-b"]
            let events = try pings(aggregates, perAggregate: 3)
            let processor = fixture.processor(consumer: consumer, client: client)
            try await withBus(bus, fixture: fixture, client: client, processor: processor) { publisher in
                // As a relay that crashed after publishing but before marking would do.
                try await publisher.publish(events)
                try await publisher.publish(events)
                // A sentinel per aggregate after the duplicates: the bus delivers an aggregate's
                // events in order, so once every sentinel took effect, every duplicate before it
                // has been delivered and handled (or rightly skipped). No guess at how long that takes.
                try await publisher.publish(try aggregates.map { try EventEnvelope(Ping(aggregate: $0, sequence: Self.sentinel)) })
                try await eventually("the sentinels published after the duplicates", timeout: .seconds(60)) {
                    try await effects(fixture, client, consumer: consumer, aggregates: aggregates).filter { $0.1 == Self.sentinel }.count == aggregates.count
                }
            }
            let applied = try await effects(fixture, client, consumer: consumer, aggregates: aggregates)
            for aggregate in aggregates {
                #expect(applied.filter { $0.0 == aggregate }.map(\.1) == [1, 2, 3, Self.sentinel], "\(aggregate)")
            }
        }
    }
}
