import Contracts
import Database
import Foundation
import Messaging
import PostgresNIO
import Testing

@Suite(.timeLimit(.minutes(2))) struct OutboxTests {
    @Test func eventsCommitWithTheirChange() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let events = try pings(["a"], perAggregate: 3)
            try await fixture.commit(events, client: client)
            let rows = try await client.query("SELECT event_id, event_type, aggregate_id, topic FROM shop.outbox ORDER BY id", logger: fixture.logger)
                .decode((UUID, String, String, String).self).collectAll()
            #expect(rows.map(\.0) == events.map(\.eventID))
            #expect(rows.allSatisfy { $0.1 == "Ping" && $0.2 == "a" && $0.3 == Ping.topic })
        }
    }

    @Test func aRolledBackChangeLeavesNoEvent() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            await #expect(throws: HandlerFailure.self) {
                try await client.transaction(logger: fixture.logger) { connection in
                    try await connection.query("INSERT INTO shop.changes (note) VALUES ('doomed')", logger: fixture.logger)
                    try await Outbox(schema: MessagingFixture.schema).append(try pings(["a"], perAggregate: 1), on: connection, logger: fixture.logger)
                    throw HandlerFailure(aggregate: "a", sequence: 1)
                }
            }
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.outbox") == 0)
            #expect(try await fixture.count(client, "SELECT count(*) FROM shop.changes") == 0)
        }
    }

    @Test func theStoredEventReadsBackIdentically() async throws {
        let fixture = try await MessagingFixture.make()
        try await fixture.run { client async throws in
            let event = try EventEnvelope(Ping(aggregate: "x", sequence: 7), occurredAt: Date(timeIntervalSince1970: 1_700_000_000.5), correlationID: "corr")
            try await fixture.commit([event], client: client)
            let publisher = RecordingPublisher()
            let relay = OutboxRelay(configuration: .init(schema: MessagingFixture.schema), client: client, publisher: publisher, logger: fixture.logger)
            #expect(try await relay.relayBatch() == 1)
            let relayed = try #require(publisher.events.first)
            #expect(relayed.eventID == event.eventID)
            #expect(relayed.occurredAt == event.occurredAt)
            #expect(relayed.correlationID == "corr")
            #expect(try relayed.decode(Ping.self) == Ping(aggregate: "x", sequence: 7))
        }
    }
}
