import Logging
import PostgresNIO

/// Runs a PostgreSQL client for the length of one piece of work (commands like `migrate` and
/// `seed` that are not long-running services).
public enum DatabaseSession {
    public static func run<Result: Sendable>(
        _ configuration: PostgresClient.Configuration, logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
