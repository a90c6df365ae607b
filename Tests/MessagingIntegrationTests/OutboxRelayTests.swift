import Contracts
import EmporiumTesting
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceLifecycle
import Testing

@Suite(.timeLimit(.minutes(2))) struct OutboxRelayTests {
    func relay(_ fixture: MessagingFixture, _ client: PostgresClient, _ publisher: any EventPublisher, poll: Duration = .milliseconds(50), batch: Int = 500) -> OutboxRelay {
        var configuration = OutboxRelay.Configuration(schema: MessagingFixture.schema)
        configuration.pollInterval = poll
        configuration.batchSize = batch
        configuration.maxFailureBackoff = .milliseconds(50)
        return OutboxRelay(configuration: configuration, client: client, publisher: publisher, logger: fixture.logger)
    }

    @Test func publishesInCommitOrderAndMarksRowsPublished() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let events = try pings(["a", "b", "c"], perAggregate: 5)
            try await fixture.commit(events, client: client)
            let publisher = RecordingPublisher()
            let relay = relay(fixture, client, publisher, batch: 4)
            var published = 0
            while case let n = try await relay.relayBatch(), n > 0 { published += n }
            #expect(published == 15)
            #expect(publisher.events.map(\.eventID) == events.map(\.eventID))
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.outbox WHERE published_at IS NULL") == 0)
        }
    }

    @Test func aFailedPublishLeavesTheBatchForTheNextAttempt() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            try await fixture.commit(try pings(["a"], perAggregate: 3), client: client)
            let publisher = RecordingPublisher(failures: 2)
            let relay = relay(fixture, client, publisher)
            await #expect(throws: HandlerFailure.self) { try await relay.relayBatch() }
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.outbox WHERE published_at IS NULL") == 3)
            // As a service it retries on its own.
            try await runService(relay) {
                try await eventually("the batch to be published after the failures", timeout: .seconds(15)) { publisher.events.count == 3 }
            }
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.outbox WHERE published_at IS NULL") == 0)
        }
    }

    @Test func concurrentRelaysPublishEachRowOnceInOrderPerAggregate() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let aggregates = (1...5).map { "agg-\($0)" }
            let publisher = RecordingPublisher()
            let relays = (0..<3).map { _ in relay(fixture, client, publisher, poll: .milliseconds(5), batch: 7) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for relay in relays {
                    group.addTask { while !Task.isCancelled { _ = try? await relay.relayBatch() } }
                }
                // Commits keep arriving while the relays run.
                for round in 0..<10 {
                    try await fixture.commit(try aggregates.map { try EventEnvelope(Ping(aggregate: $0, sequence: round)) }, client: client)
                }
                try await eventually("50 events to be published", timeout: .seconds(15)) { publisher.events.count >= 50 }
                group.cancelAll()
            }
            let events = publisher.events
            #expect(events.count == 50)
            #expect(Set(events.map(\.eventID)).count == 50)
            for aggregate in aggregates {
                let sequences = try events.filter { $0.aggregateID == aggregate }.map { try $0.decode(Ping.self).sequence }
                #expect(sequences == Array(0..<10), "\(aggregate)")
            }
        }
    }

    /// With a one-minute poll, only the NOTIFY sent at commit can make the relay publish quickly.
    @Test func aCommitWakesTheRelayWithoutWaitingForThePoll() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let publisher = RecordingPublisher()
            let relay = relay(fixture, client, publisher, poll: .seconds(60))
            try await runService(relay) {
                try await waitUntilListening(fixture, client, schema: MessagingFixture.schema)
                let start = ContinuousClock.now
                try await fixture.commit(try pings(["a"], perAggregate: 1), client: client)
                try await eventually("the notified relay to publish", timeout: .seconds(10)) { publisher.events.count == 1 }
                #expect(ContinuousClock.now - start < .seconds(10))
            }
        }
    }

    @Test func maintenancePrunesOldPublishedRowsAndInboxRecords() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            try await fixture.commit(try pings(["a"], perAggregate: 2), client: client)
            try await fixture.commit(try pings(["b"], perAggregate: 1), client: client)
            try await client.query("UPDATE shop.outbox SET published_at = now() - interval '2 days' WHERE aggregate_id = 'a'", logger: fixture.logger)
            try await client.query("INSERT INTO shop.processed_events (consumer, event_id, processed_at) VALUES ('c', gen_random_uuid(), now() - interval '30 days'), ('c', gen_random_uuid(), now())", logger: fixture.logger)
            let relay = relay(fixture, client, RecordingPublisher())
            await relay.maintain()
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.outbox") == 1)  // b: unpublished, kept
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.processed_events") == 1)
        }
    }
}

/// Waits until a session of this database has finished `LISTEN` on the schema's outbox channel:
/// PostgreSQL's own record of the statement (`pg_stat_activity`, state `idle` once it completed)
/// is the signal, instead of guessing how long connecting and listening take.
func waitUntilListening(_ fixture: MessagingFixture, _ client: PostgresClient, schema: String) async throws {
    let statement = #"LISTEN "\#(MessagingSchema.notifyChannel(schema: schema))";"#
    let sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle' AND query = '\(statement)'"
    try await eventually("the relay to LISTEN on \(MessagingSchema.notifyChannel(schema: schema))", timeout: .seconds(15)) {
        try await fixture.count(client, sql) > 0
    }
}

/// Runs `service` in a service group with `body` alongside, then shuts it down gracefully.
func runService(_ service: any Service, _ body: @Sendable () async throws -> Void) async throws {
    let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test.services")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
