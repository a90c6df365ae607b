import Database
import Foundation
import Logging
import PostgresNIO

/// The statements on a schema's job table. The schema name is an identifier the service chose
/// (checked where a ``JobQueue`` is made), never client input.
struct JobSQL: Sendable {
    let table: String
    let ticks: String

    init(schema: String) {
        table = "\"\(schema)\".jobs"
        ticks = "\"\(schema)\".cron_ticks"
    }

    static let columns = """
        id, queue, kind, payload::text, state, priority, run_at, attempts, max_attempts, timeout_ms, unique_key, progress, progress_message,
        last_error, created_at, started_at, finished_at
        """
    typealias Row = (Int64, String, String, String, String, Int16, Date, Int32, Int32, Int32, String?, Int16, String?, String?, Date, Date?, Date?)

    static func record(_ row: Row) -> JobRecord? {
        guard let state = JobState(rawValue: row.4) else { return nil }
        return JobRecord(
            id: row.0, queue: row.1, kind: row.2, payload: row.3, state: state, priority: Int(row.5), runAt: row.6, attempts: Int(row.7),
            maxAttempts: Int(row.8), timeout: .milliseconds(Int64(row.9)), uniqueKey: row.10, progress: Int(row.11), progressMessage: row.12,
            lastError: row.13, createdAt: row.14, startedAt: row.15, finishedAt: row.16)
    }

    func records(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [JobRecord] {
        try await connection.query(query, logger: logger).decode(Row.self).collectAll().compactMap(Self.record)
    }
}
