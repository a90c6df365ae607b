import Foundation
import Inventory
import Logging
import Messaging
import PostgresNIO

/// `emporium events …`: what an operator does with events a consumer gave up on.
public enum EventAdministration {
    /// The schemas that hold dead letters: those of services with consumers.
    static func schemas(_ services: [ServiceName]) -> [String] {
        services.sorted().compactMap { service -> String? in
            switch service {
            case .catalog: nil  // consumes nothing yet
            case .inventory: InventoryService.schemaName
            }
        }
    }

    public static func deadLetters(services: [ServiceName], limit: Int, client: PostgresClient, logger: Logger) async throws -> [DeadLetter] {
        var letters: [DeadLetter] = []
        for schema in schemas(services) {
            letters += try await DeadLetters(schema: schema, client: client, logger: logger).list(limit: limit)
        }
        return letters
    }

    /// Replays dead letters through the same handlers the running service uses.
    public static func redrive(
        services: [ServiceName], ids: [Int64]?, configuration: RuntimeConfiguration, client: PostgresClient, logger: Logger
    ) async throws -> DeadLetters.RedriveResult {
        let built = try EmporiumApplication.Services(services, postgres: client, searchAdmission: nil, cache: nil, configuration: configuration, logger: logger)
        let processors = built.processors(client: client, logger: logger)
        var total = DeadLetters.RedriveResult()
        for schema in schemas(services) {
            let result = try await DeadLetters(schema: schema, client: client, logger: logger).redrive(ids: ids, processors: processors)
            total.handled += result.handled
            total.parkedAgain += result.parkedAgain
            total.skipped += result.skipped
        }
        return total
    }

    /// One line per dead letter, for the terminal.
    public static func describe(_ letter: DeadLetter) -> String {
        let when = letter.failedAt.formatted(.iso8601)
        return "#\(letter.id) \(letter.consumer) \(letter.event.type) v\(letter.event.schemaVersion) aggregate=\(letter.event.aggregateID) event=\(letter.event.eventID.uuidString.lowercased()) attempts=\(letter.attempts) failed=\(when)\n    error: \(letter.error.prefix(300))"
    }
}
