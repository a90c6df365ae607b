import Contracts
import Database
import Foundation
import Messaging
import PostgresNIO
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(2))) struct EventProcessorTests {
    @Test func anEventIsHandledOnceAndRedeliveryIsANoOp() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client)
            let event = try EventEnvelope(Ping(aggregate: "a", sequence: 1))
            #expect(try await processor.process(event) == .handled)
            #expect(try await processor.process(event) == .duplicate)
            #expect(try await fixture.effects(client).count == 1)
        }
    }

    @Test func concurrentDeliveriesOfOneEventHandleItOnce() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client)
            let event = try EventEnvelope(Ping(aggregate: "a", sequence: 1))
            let outcomes = try await withThrowingTaskGroup(of: EventProcessor.Outcome.self) { group in
                for _ in 0..<8 { group.addTask { try await processor.process(event) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .handled }.count == 1)
            #expect(outcomes.filter { $0 == .duplicate }.count == 7)
            #expect(try await fixture.effects(client).count == 1)
        }
    }

    @Test func transientFailuresAreRetriedAndTheEffectHappensOnce() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let attempts = Atomic(0)
            let processor = fixture.processor(client: client, maxAttempts: 5) { _ in
                attempts.add(1, ordering: .relaxed).newValue < 3  // fail twice
            }
            #expect(try await processor.process(try EventEnvelope(Ping(aggregate: "a", sequence: 1))) == .handled)
            #expect(attempts.load(ordering: .relaxed) == 3)
            #expect(try await fixture.effects(client).count == 1)
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.dead_letters") == 0)
        }
    }

    /// Actions a handler asks for after its commit run once, and only for the attempt that
    /// committed: a failed attempt's actions are dropped with its transaction.
    @Test func afterCommitActionsRunOnlyForTheCommittedAttempt() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let attempts = Atomic(0)
            let ran = Mutex<[Int]>([])
            var handlers = EventHandlers()
            handlers.on(Ping.self) { ping, context in
                let attempt = attempts.add(1, ordering: .relaxed).newValue
                context.afterCommit { ran.withLock { $0.append(attempt) } }
                if attempt < 3 { throw HandlerFailure(aggregate: ping.aggregate, sequence: ping.sequence) }
            }
            var configuration = EventProcessor.Configuration(consumer: "shop-consumer", schema: MessagingFixture.schema)
            configuration.initialBackoff = .milliseconds(5)
            let processor = EventProcessor(configuration: configuration, handlers: handlers, client: client, logger: fixture.logger)
            let event = try EventEnvelope(Ping(aggregate: "a", sequence: 1))
            #expect(try await processor.process(event) == .handled)
            #expect(ran.withLock { $0 } == [3])
            #expect(try await processor.process(event) == .duplicate)
            #expect(ran.withLock { $0 } == [3])
        }
    }

    /// A handler registered for some events only: the others cost no transaction and leave no
    /// inbox record, and a redelivery is filtered the same way.
    @Test func eventsAHandlerDoesNotWantAreAcknowledgedWithoutATransaction() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let handled = Mutex<[Int]>([])
            var handlers = EventHandlers()
            handlers.on(Ping.self, when: { $0.sequence.isMultiple(of: 2) }) { ping, _ in handled.withLock { $0.append(ping.sequence) } }
            let processor = EventProcessor(
                configuration: .init(consumer: "shop-consumer", schema: MessagingFixture.schema), handlers: handlers, client: client, logger: fixture.logger)
            let odd = try EventEnvelope(Ping(aggregate: "a", sequence: 1))
            let even = try EventEnvelope(Ping(aggregate: "a", sequence: 2))
            #expect(!processor.wants(odd) && processor.wants(even))
            #expect(try await processor.process(odd) == .ignored)
            #expect(try await processor.process(odd) == .ignored)
            #expect(try await processor.process(even) == .handled)
            #expect(try await processor.process(even) == .duplicate)
            #expect(handled.withLock { $0 } == [2])
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.processed_events") == 1)
        }
    }

    /// A batch takes effect in one transaction: each event once, in order, already handled
    /// events and a second copy in the same batch skipped.
    @Test func aBatchIsHandledInOneTransactionEachEventOnce() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client)
            let events = try (1...4).map { try EventEnvelope(Ping(aggregate: "a", sequence: $0)) }
            #expect(try await processor.process(events[0]) == .handled)
            try await processor.processTogether(events + [events[2]])
            #expect(try await fixture.effects(client).map(\.1) == [1, 2, 3, 4])
            // Rows written by one transaction share its id.
            #expect(try await fixture.count(client, "SELECT count(DISTINCT xmin::text) FROM shop.effects WHERE sequence > 1") == 1)
            try await processor.processTogether(events)
            #expect(try await fixture.effects(client).count == 4)
        }
    }

    /// What a batch's handlers append to the outbox is written once, before the commit, in the
    /// order it was appended; a handler on its own writes at once.
    @Test func aBatchsOutboxAppendsAreWrittenTogetherInOrder() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let seenDuringHandling = Mutex<[Int]>([])
            var handlers = EventHandlers()
            handlers.on(Ping.self) { ping, context in
                guard ping.aggregate == "in" else { return }
                let echo = try EventEnvelope(Ping(aggregate: "out", sequence: ping.sequence))
                try await Outbox(schema: MessagingFixture.schema).append([echo], on: context.connection, logger: context.logger)
                let rows = try await context.connection.query("SELECT count(*) FROM shop.outbox", logger: context.logger).decode(Int64.self).collectAll()
                seenDuringHandling.withLock { $0.append(Int(rows.first ?? -1)) }
            }
            let processor = EventProcessor(
                configuration: .init(consumer: "echo", schema: MessagingFixture.schema), handlers: handlers, client: client, logger: fixture.logger)
            try await processor.processTogether(try (1...3).map { try EventEnvelope(Ping(aggregate: "in", sequence: $0)) })
            #expect(seenDuringHandling.withLock { $0 } == [0, 0, 0])
            let echoed = try await client.query("SELECT payload::text FROM shop.outbox ORDER BY id", logger: fixture.logger).decode(String.self).collectAll()
            #expect(try echoed.map { try JSONDecoder().decode(Ping.self, from: Data($0.utf8)).sequence } == [1, 2, 3])
            // Alone, an event's appends are written when they are made.
            #expect(try await processor.process(try EventEnvelope(Ping(aggregate: "in", sequence: 4))) == .handled)
            #expect(seenDuringHandling.withLock { $0.last } == 4)
        }
    }

    /// One failing event does not hold up the rest of its batch: the group falls back to one
    /// event at a time, the others take effect in order and the failing one is parked.
    @Test func aFailingEventInABatchIsParkedAndTheOthersTakeEffect() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client, maxAttempts: 2) { $0.sequence == 2 }
            let events = try (1...3).map { try EventEnvelope(Ping(aggregate: "a", sequence: $0)) }
            try await processor.processTogether(events)
            #expect(try await fixture.effects(client).map(\.1) == [1, 3])
            let letters = try await DeadLetters(schema: MessagingFixture.schema, client: client, logger: fixture.logger).list()
            #expect(letters.map(\.event.eventID) == [events[1].eventID])
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.processed_events") == 2)
        }
    }

    @Test func persistentFailuresAreParkedWithTheError() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client, maxAttempts: 3) { _ in true }
            let event = try EventEnvelope(Ping(aggregate: "poison", sequence: 1), correlationID: "trace-1")
            #expect(try await processor.process(event) == .deadLettered)
            #expect(try await fixture.effects(client).isEmpty)
            let letters = try await DeadLetters(schema: MessagingFixture.schema, client: client, logger: fixture.logger).list()
            let letter = try #require(letters.first)
            #expect(letters.count == 1)
            #expect(letter.consumer == "shop-consumer")
            #expect(letter.attempts == 3)
            #expect(letter.error.contains("handler refused poison#1"))
            #expect(letter.event.eventID == event.eventID)
            #expect(letter.event.correlationID == "trace-1")
            #expect(try letter.event.decode(Ping.self) == Ping(aggregate: "poison", sequence: 1))
        }
    }

    @Test func anUnreadableEventIsParkedWithoutRetrying() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client, maxAttempts: 5)
            var event = try EventEnvelope(Ping(aggregate: "a", sequence: 1))
            event.schemaVersion = 9
            #expect(try await processor.process(event) == .deadLettered)
            let letter = try #require(try await DeadLetters(schema: MessagingFixture.schema, client: client, logger: fixture.logger).list().first)
            #expect(letter.attempts == 1)
            #expect(letter.error.contains("schema version 9"))
        }
    }

    @Test func eventsWithoutAHandlerAreIgnored() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client)
            let other = EventEnvelope(type: "SomethingElse", schemaVersion: 1, topic: "t", aggregateID: "a", occurredAt: Date(), payload: Data("{}".utf8))
            #expect(try await processor.process(other) == .ignored)
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.processed_events") == 0)
        }
    }

    @Test func redriveReplaysParkedEventsOnceTheCauseIsFixed() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let broken = Atomic(true)
            let processor = fixture.processor(client: client, maxAttempts: 2) { _ in broken.load(ordering: .relaxed) }
            for sequence in 1...3 {
                #expect(try await processor.process(try EventEnvelope(Ping(aggregate: "a", sequence: sequence))) == .deadLettered)
            }
            let deadLetters = DeadLetters(schema: MessagingFixture.schema, client: client, logger: fixture.logger)
            let letters = try await deadLetters.list()
            #expect(letters.count == 3)

            // Still broken: the one redriven is parked again, under a new id.
            let again = try await deadLetters.redrive(ids: [letters[0].id], processors: [processor])
            #expect(again == DeadLetters.RedriveResult(handled: 0, parkedAgain: 1, skipped: 0))
            #expect(try await deadLetters.list().count == 3)
            #expect(try await !deadLetters.list().contains { $0.id == letters[0].id })

            broken.store(false, ordering: .relaxed)
            let fixed = try await deadLetters.redrive(processors: [processor])
            #expect(fixed == DeadLetters.RedriveResult(handled: 3, parkedAgain: 0, skipped: 0))
            #expect(try await deadLetters.list().isEmpty)
            #expect(try await fixture.effects(client).map(\.1).sorted() == [1, 2, 3])

            // A dead letter of a consumer this process does not run is left alone.
            broken.store(true, ordering: .relaxed)
            #expect(try await processor.process(try EventEnvelope(Ping(aggregate: "b", sequence: 1))) == .deadLettered)
            #expect(try await deadLetters.redrive(processors: []) == DeadLetters.RedriveResult(handled: 0, parkedAgain: 0, skipped: 1))
            #expect(try await deadLetters.list().count == 1)
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct EventProcessorEdgeTests {
    /// NUL cannot be stored by PostgreSQL: the event is still parked (never left blocking its partition).
    @Test func unstorableValuesAreParkedSanitized() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client, maxAttempts: 1) { _ in true }
            var event = try EventEnvelope(Ping(aggregate: "nul\u{0}agg", sequence: 1))
            event.payload = Data(#"{"aggregate":"nul\u0000agg","sequence":1}"#.utf8)
            #expect(try await processor.process(event) == .deadLettered)
            let letter = try #require(try await DeadLetters(schema: MessagingFixture.schema, client: client, logger: fixture.logger).list().first)
            #expect(letter.event.aggregateID == "nulagg")
            let stored = try JSONSerialization.jsonObject(with: letter.event.payload) as? [String: String]
            #expect(stored?["rawBase64"].flatMap { Data(base64Encoded: $0) } == event.payload)
        }
    }

    /// The same type on another topic (a new contract version) is not this handler's business.
    @Test func handlersAreChosenByTopicAndType() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let processor = fixture.processor(client: client)
            var other = try EventEnvelope(Ping(aggregate: "a", sequence: 1))
            other.topic = "emporium-test.ping.v2"
            #expect(!processor.wants(other))
            #expect(try await processor.process(other) == .ignored)
            #expect(processor.topics == [Ping.topic])
        }
    }

    @Test func largeAppendsAreSplitBelowTheParameterLimit() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            try await fixture.commit(try pings(["a"], perAggregate: 9000), client: client)
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.outbox") == 9000)
            let ids = try await client.query("SELECT min(id) FROM shop.outbox", logger: fixture.logger).decode(Int64.self).collectAll()
            #expect(ids.count == 1)
        }
    }

    @Test func redriveByIdFindsExactlyThoseLetters() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let failing = fixture.processor(client: client, maxAttempts: 1) { _ in true }
            let processor = fixture.processor(client: client, maxAttempts: 1) { $0.sequence != 2 }
            for sequence in 1...3 {
                _ = try await failing.process(try EventEnvelope(Ping(aggregate: "a", sequence: sequence)))
            }
            let deadLetters = DeadLetters(schema: MessagingFixture.schema, client: client, logger: fixture.logger)
            let all = try await deadLetters.list()
            #expect(all.count == 3)
            #expect(try await deadLetters.list(ids: [all[1].id]).map(\.id) == [all[1].id])
            let result = try await deadLetters.redrive(ids: [all[1].id], processors: [processor])
            #expect(result == DeadLetters.RedriveResult(handled: 1, parkedAgain: 0, skipped: 0))
            #expect(try await deadLetters.list().map(\.id) == [all[0].id, all[2].id])
        }
    }
}
