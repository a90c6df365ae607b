import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// `emporium events …`: what an operator does with events a consumer gave up on.
public enum EventAdministration {
    /// The schemas that hold dead letters: those of services with consumers.
    static func schemas(_ services: [ServiceDescriptor]) -> [String] {
        services.filter { !$0.consumes.isEmpty }.map(\.schema)
    }

    public static func deadLetters(services: [ServiceDescriptor], limit: Int, client: PostgresClient, logger: Logger) async throws -> [DeadLetter] {
        var letters: [DeadLetter] = []
        for schema in schemas(services) {
            letters += try await DeadLetters(schema: schema, client: client, logger: logger).list(limit: limit)
        }
        return letters
    }

    /// Replays dead letters through the same handlers the running service uses.
    public static func redrive(
        services: [ServiceDescriptor], ids: [Int64]?, configuration: RuntimeConfiguration, client: PostgresClient, logger: Logger
    ) async throws -> DeadLetters.RedriveResult {
        let context = ServiceContext(postgres: client, settings: EnvironmentSettings(configuration.environment), logger: logger)
        // Only the services with event handlers: the others have no dead letters to replay.
        let consumers = services.filter { !$0.consumes.isEmpty }
        let processors = try await RunningServices.start(consumers, context: context).processors(client: client, logger: logger)
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
