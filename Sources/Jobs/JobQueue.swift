import Foundation
public import Logging
public import PostgresNIO
import Database
public import EmporiumCore

/// A service's job queue: enqueue in the caller's transaction, and the operators' actions
/// (list, retry, cancel, depth). Workers are ``JobWorker``.
public struct JobQueue: Sendable {
    public let schema: String
    let sql: JobSQL
    let client: PostgresClient
    let clock: any TimeSource
    let logger: Logger

    /// `schema`: the service's PostgreSQL schema (letters, digits and `_`), which holds `jobs`.
    public init(schema: String, client: PostgresClient, clock: any TimeSource = SystemTimeSource(), logger: Logger) {
        precondition(schema.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }, "schema \(schema) is not a plain identifier")
        self.schema = schema
        sql = JobSQL(schema: schema)
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    // MARK: Enqueue

    /// Enqueues in the caller's transaction: the job exists (and its workers are woken) only if
    /// that transaction commits. With a unique key that a pending job holds, answers that job.
    @discardableResult
    public func enqueue(_ request: JobRequest, on connection: PostgresConnection) async throws -> EnqueuedJob {
        let now = clock.now()
        let runAt = request.runAt ?? now
        let timeout = Int32(clamping: max(1, request.timeout.components.seconds * 1000 + request.timeout.components.attoseconds / 1_000_000_000_000_000))
        let inserted = try await connection.query("""
            INSERT INTO \(unescaped: sql.table) (queue, kind, payload, state, priority, run_at, max_attempts, timeout_ms, unique_key, created_at)
            VALUES (\(request.queue), \(request.kind), \(request.payload)::jsonb, 'available', \(Int16(request.priority)), \(runAt),
                    \(Int32(request.maxAttempts)), \(timeout), \(request.uniqueKey), \(now))
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'running', 'retryable') DO NOTHING
            RETURNING id
            """, logger: logger).decode(Int64.self).collectAll()
        if let id = inserted.first {
            try await connection.query("SELECT pg_notify(\(JobsSchema.notifyChannel(schema: schema)), \(request.queue))", logger: logger)
            return EnqueuedJob(id: id, isNew: true)
        }
        let existing = try await connection.query("""
            SELECT id FROM \(unescaped: sql.table) WHERE unique_key = \(request.uniqueKey) AND state IN ('available', 'running', 'retryable')
            """, logger: logger).decode(Int64.self).collectAll()
        guard let id = existing.first else { throw EmporiumError(.conflict, "job key \(request.uniqueKey ?? "") is being released; enqueue again") }
        return EnqueuedJob(id: id, isNew: false)
    }

    /// Enqueues in a transaction of its own.
    @discardableResult
    public func enqueue(_ request: JobRequest) async throws -> EnqueuedJob {
        try await client.transaction(logger: logger) { try await enqueue(request, on: $0) }
    }

    // MARK: Operators

    public func job(id: Int64) async throws -> JobRecord? {
        let sql = sql
        let logger = logger
        return try await client.withConnection { connection in
            try await sql.records("SELECT \(unescaped: JobSQL.columns) FROM \(unescaped: sql.table) WHERE id = \(id)", on: connection, logger: logger).first
        }
    }

    /// The pending job (waiting, running or to be retried) of each of `keys` that has one.
    public func pending(uniqueKeys keys: [String]) async throws -> [String: JobRecord] {
        guard !keys.isEmpty else { return [:] }
        let sql = sql
        let logger = logger
        let jobs = try await client.withConnection { connection in
            try await sql.records("""
                SELECT \(unescaped: JobSQL.columns) FROM \(unescaped: sql.table)
                WHERE unique_key = ANY(\(keys)) AND state IN ('available', 'running', 'retryable')
                """, on: connection, logger: logger)
        }
        return Dictionary(jobs.compactMap { job in job.uniqueKey.map { ($0, job) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Newest first; `before`: the last id of the previous page.
    public func list(state: JobState? = nil, kind: String? = nil, before: Int64? = nil, limit: Int = 50) async throws -> [JobRecord] {
        let sql = sql
        let logger = logger
        let limit = max(1, min(500, limit))
        return try await client.withConnection { connection in
            try await sql.records("""
                SELECT \(unescaped: JobSQL.columns) FROM \(unescaped: sql.table)
                WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue)) AND (\(kind)::text IS NULL OR kind = \(kind))
                  AND id < \(before ?? Int64.max)
                ORDER BY id DESC LIMIT \(limit)
                """, on: connection, logger: logger)
        }
    }

    /// A discarded, cancelled or retryable job runs again now (attempts start over).
    public func retry(id: Int64) async throws -> JobRecord {
        let sql = sql
        let logger = logger
        let now = clock.now()
        let channel = JobsSchema.notifyChannel(schema: schema)
        return try await client.transaction(logger: logger) { connection in
            let updated = try await sql.records("""
                UPDATE \(unescaped: sql.table) SET state = 'available', attempts = 0, run_at = \(now), cancel_requested = false, finished_at = NULL
                WHERE id = \(id) AND state IN ('discarded', 'cancelled', 'retryable') RETURNING \(unescaped: JobSQL.columns)
                """, on: connection, logger: logger)
            guard let job = updated.first else { throw try await Self.refusal(id, sql: sql, on: connection, logger: logger, action: "retried") }
            try await connection.query("SELECT pg_notify(\(channel), \(job.queue))", logger: logger)
            return job
        }
    }

    /// A waiting job is cancelled at once; a running one is asked to stop (its worker cancels
    /// the handler at its next heartbeat; the handler stops where it checks for cancellation).
    public func cancel(id: Int64) async throws -> JobRecord {
        let sql = sql
        let logger = logger
        let now = clock.now()
        return try await client.transaction(logger: logger) { connection in
            let updated = try await sql.records("""
                UPDATE \(unescaped: sql.table) SET
                    state = CASE WHEN state = 'running' THEN state ELSE 'cancelled' END,
                    cancel_requested = true,
                    finished_at = CASE WHEN state = 'running' THEN finished_at ELSE \(now) END
                WHERE id = \(id) AND state IN ('available', 'retryable', 'running') RETURNING \(unescaped: JobSQL.columns)
                """, on: connection, logger: logger)
            guard let job = updated.first else { throw try await Self.refusal(id, sql: sql, on: connection, logger: logger, action: "cancelled") }
            return job
        }
    }

    /// Jobs per queue and state, for the depth gauges and `emporium jobs list`.
    public func depth() async throws -> [(queue: String, state: JobState, count: Int)] {
        let sql = sql
        let logger = logger
        return try await client.withConnection { connection in
            try await connection.query("SELECT queue, state, count(*)::integer FROM \(unescaped: sql.table) GROUP BY queue, state ORDER BY queue, state", logger: logger)
                .decode((String, String, Int).self).collectAll().compactMap { row in JobState(rawValue: row.1).map { (row.0, $0, row.2) } }
        }
    }

    static func refusal(_ id: Int64, sql: JobSQL, on connection: PostgresConnection, logger: Logger, action: String) async throws -> EmporiumError {
        let current = try await sql.records("SELECT \(unescaped: JobSQL.columns) FROM \(unescaped: sql.table) WHERE id = \(id)", on: connection, logger: logger).first
        guard let current else { return .notFound("no job with id \(id)") }
        return EmporiumError(.conflict, "job \(id) is \(current.state.rawValue) and cannot be \(action)")
    }
}
