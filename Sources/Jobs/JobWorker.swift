import Foundation
public import Logging
public import PostgresNIO
public import ServiceLifecycle
public import EmporiumCore
import Database
import Metrics
import NIOConcurrencyHelpers

/// Runs a service's jobs: fetches due jobs with `FOR UPDATE SKIP LOCKED` (any number of
/// processes side by side, never the same job twice), woken by the LISTEN of the schema's
/// channel and polling only as a fallback; holds a lease on each running job, renewed by
/// heartbeats (a job whose worker died runs again when its lease expires); retries failures
/// with exponential backoff and jitter, then discards them (kept, visible, retryable); cancels
/// a run past its timeout or when an operator asks; enqueues cron jobs once per tick; and on
/// graceful shutdown stops fetching and lets running jobs finish.
public final class JobWorker: Service, Sendable {
    public struct Configuration: Sendable {
        public var schema: String
        /// Concurrency per queue: at most this many of its jobs run at once in this process.
        public var queues: [String: Int]
        public var lease: Duration = .seconds(30)
        public var heartbeat: Duration = .seconds(10)
        public var pollInterval: Duration = .seconds(2)
        /// Retry delays: `backoffBase` × 2^(attempt − 1), at most `maximumBackoff`, ±25 % jitter.
        public var backoffBase: Duration = .seconds(1)
        public var maximumBackoff: Duration = .seconds(3600)
        public var cron: [CronJob] = []

        public init(schema: String, queues: [String: Int] = ["default": 4]) {
            self.schema = schema
            self.queues = queues
        }
    }

    public let configuration: Configuration
    /// Names this process in `leased_by`.
    public let workerID: String
    let queue: JobQueue
    let handlers: JobHandlers
    let client: PostgresClient
    let clock: any TimeSource
    let logger: Logger
    let sql: JobSQL
    /// Running jobs: the task running each, to cancel on request. Locks from NIO (pthread
    /// mutexes): the stdlib `Mutex`'s priority-inheritance futex aborted this process once under
    /// heavy load ("Unknown error occurred while attempting to acquire a Mutex").
    private let running = NIOLockedValueBox<[Int64: (queue: String, cancel: @Sendable () -> Void)]>([:])
    private let cancelRequested = NIOLockedValueBox<Set<Int64>>([])
    private let lastCronCheck = NIOLockedValueBox<Date?>(nil)

    public init(configuration: Configuration, handlers: JobHandlers, client: PostgresClient, clock: any TimeSource = SystemTimeSource(), logger: Logger) {
        self.configuration = configuration
        self.handlers = handlers
        self.client = client
        self.clock = clock
        self.logger = logger
        sql = JobSQL(schema: configuration.schema)
        queue = JobQueue(schema: configuration.schema, client: client, clock: clock, logger: logger)
        workerID = "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8))"
    }

    // MARK: Service

    public func run() async throws {
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wake.yield()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listen(wake) }
            group.addTask {
                while (try? await Task.sleep(for: self.configuration.pollInterval)) != nil { wake.yield() }
            }
            group.addTask {
                while (try? await Task.sleep(for: self.configuration.heartbeat)) != nil { await self.maintain() }
            }
            await withGracefulShutdownHandler {
                await self.workLoop(wakeups, wake: wake)
            } onGracefulShutdown: {
                wake.finish()
            }
            group.cancelAll()
        }
    }

    /// Fetches while there is room, once per wake-up; a finished job wakes the loop again.
    /// When the wake-ups end (shutdown), waits for the running jobs.
    private func workLoop(_ wakeups: AsyncStream<Void>, wake: AsyncStream<Void>.Continuation) async {
        await withTaskGroup(of: Void.self) { jobs in
            for await _ in wakeups {
                do {
                    for job in try await fetch() {
                        jobs.addTask {
                            await self.execute(job)
                            wake.yield()
                        }
                    }
                } catch {
                    logger.warning("job fetch failed; will retry", metadata: ["schema": "\(configuration.schema)", "error": "\(String(reflecting: error))"])
                }
            }
            await jobs.waitForAll()
        }
    }

    /// Holds a LISTEN on the schema's channel; reconnects after a second when the connection is lost.
    private func listen(_ wake: AsyncStream<Void>.Continuation) async {
        let channel = JobsSchema.notifyChannel(schema: configuration.schema)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        wake.yield()
                        for try await _ in notifications { wake.yield() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("jobs LISTEN connection lost; polling until it is back", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Heartbeats, expired leases, cron ticks and the depth gauges; failures are logged, the
    /// next pass retries.
    func maintain() async {
        do {
            try await heartbeat()
            try await reapExpiredLeases()
            try await tickCron()
            for row in try await queue.depth() {
                Gauge(label: "emporium_jobs", dimensions: [("schema", configuration.schema), ("queue", row.queue), ("state", row.state.rawValue)]).record(row.count)
            }
        } catch {
            logger.warning("job maintenance failed; will retry", metadata: ["schema": "\(configuration.schema)", "error": "\(String(reflecting: error))"])
        }
    }

    // MARK: Steps (public for tests and tools: each is one pass)

    /// Takes due jobs of every queue up to its free slots, leased to this worker.
    public func fetch() async throws -> [JobRecord] {
        let busy = running.withLockedValue { running in Dictionary(grouping: running.values, by: \.queue).mapValues(\.count) }
        let now = clock.now()
        let leaseEnd = now.addingTimeInterval(Self.seconds(configuration.lease))
        var fetched: [JobRecord] = []
        for (name, concurrency) in configuration.queues.sorted(by: { $0.key < $1.key }) {
            let room = concurrency - busy[name, default: 0]
            guard room > 0 else { continue }
            let sql = sql
            let logger = logger
            let workerID = workerID
            let jobs = try await client.withConnection { connection in
                try await sql.records("""
                    UPDATE \(unescaped: sql.table) SET state = 'running', attempts = attempts + 1, started_at = \(now), leased_by = \(workerID),
                        lease_expires_at = \(leaseEnd)
                    WHERE id IN (
                        SELECT id FROM \(unescaped: sql.table)
                        WHERE queue = \(name) AND state IN ('available', 'retryable') AND run_at <= \(now)
                        ORDER BY priority DESC, run_at, id LIMIT \(room) FOR UPDATE SKIP LOCKED)
                    RETURNING \(unescaped: JobSQL.columns)
                    """, on: connection, logger: logger)
            }
            // Counted as running from here, so the next fetch leaves their slots alone.
            running.withLockedValue { running in for job in jobs { running[job.id] = (job.queue, {}) } }
            fetched += jobs
        }
        return fetched
    }

    /// Fetches and runs due jobs until none is due; returns how many ran (tests and tools).
    @discardableResult
    public func runDue() async throws -> Int {
        var total = 0
        while true {
            let jobs = try await fetch()
            if jobs.isEmpty { return total }
            await withTaskGroup(of: Void.self) { group in
                for job in jobs { group.addTask { await self.execute(job) } }
            }
            total += jobs.count
        }
    }

    /// Runs one leased job to its end and records the outcome.
    func execute(_ job: JobRecord) async {
        let started = ContinuousClock.now
        if let startedAt = job.startedAt {
            Timer(label: "emporium_job_wait_seconds", dimensions: [("schema", configuration.schema), ("queue", job.queue)], preferredDisplayUnit: .seconds)
                .recordSeconds(max(0, startedAt.timeIntervalSince(job.runAt)))
        }
        guard let handler = handlers.handlers[job.kind] else {
            await record(job, outcome: .failed("no handler for job kind '\(job.kind)' in this process"))
            return
        }
        let sql = sql
        let logger = logger
        let client = client
        let context = JobContext(job: job, logger: logger) { percent, message in
            try await client.withConnection { connection in
                _ = try await connection.query("""
                    UPDATE \(unescaped: sql.table) SET progress = \(Int16(percent)), progress_message = \(message) WHERE id = \(job.id) AND state = 'running'
                    """, logger: logger)
            }
        }
        // Three children race, structured: the handler, its timeout, and a stop request (the
        // heartbeat finishes `stop` when an operator cancels the job). The first to end decides;
        // the others are cancelled, and the group waits for the handler to wind down.
        let (stopped, stop) = AsyncStream.makeStream(of: Void.self)
        running.withLockedValue { $0[job.id] = (job.queue, { stop.finish() }) }
        if cancelRequested.withLockedValue({ $0.contains(job.id) }) { stop.finish() }
        var outcome: Outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    try await handler(job, context)
                    return .completed
                } catch let error as UnretryableJobError {
                    return .failedForGood(error.reason)
                } catch {
                    return Task.isCancelled ? .cancelled : .failed(String(describing: error))
                }
            }
            group.addTask { (try? await Task.sleep(for: job.timeout)) == nil ? .cancelled : .timedOut }
            group.addTask {
                for await _ in stopped {}
                return .cancelled
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        stop.finish()
        running.withLockedValue { _ = $0.removeValue(forKey: job.id) }
        let requested = cancelRequested.withLockedValue { $0.remove(job.id) != nil }
        if outcome == .cancelled && !requested {
            outcome = .failed("interrupted: the worker was stopping")
        }
        await record(job, outcome: outcome)
        let elapsed = ContinuousClock.now - started
        Timer(label: "emporium_job_run_seconds", dimensions: [("schema", configuration.schema), ("kind", job.kind)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    enum Outcome: Equatable {
        case completed, cancelled, timedOut
        case failed(String)
        /// A failure retrying cannot mend (``UnretryableJobError``): discarded at once.
        case failedForGood(String)
    }

    private func record(_ job: JobRecord, outcome: Outcome) async {
        let now = clock.now()
        let sql = sql
        let logger = logger
        let workerID = workerID
        do {
            switch outcome {
            case .completed:
                try await client.withConnection { connection in
                    _ = try await connection.query("""
                        UPDATE \(unescaped: sql.table) SET state = 'completed', progress = 100, finished_at = \(now), lease_expires_at = NULL
                        WHERE id = \(job.id) AND leased_by = \(workerID) AND state = 'running'
                        """, logger: logger)
                }
                Counter(label: "emporium_jobs_completed_total", dimensions: [("schema", configuration.schema), ("kind", job.kind)]).increment()
            case .cancelled:
                try await client.withConnection { connection in
                    _ = try await connection.query("""
                        UPDATE \(unescaped: sql.table) SET state = 'cancelled', finished_at = \(now), lease_expires_at = NULL, last_error = 'cancelled'
                        WHERE id = \(job.id) AND leased_by = \(workerID) AND state = 'running'
                        """, logger: logger)
                }
            case .timedOut, .failed, .failedForGood:
                let message = switch outcome {
                case .failed(let text), .failedForGood(let text): text
                default: "timed out after \(job.timeout)"
                }
                let discard = job.attempts >= job.maxAttempts || outcome == .failedForGood(message)
                let retryAt = now.addingTimeInterval(backoff(attempt: job.attempts))
                let entry = String(decoding: try JSONEncoder().encode([["attempt": "\(job.attempts)", "at": "\(now.timeIntervalSince1970)", "error": String(message.prefix(2_000))]]), as: UTF8.self)
                try await client.withConnection { connection in
                    _ = try await connection.query("""
                        UPDATE \(unescaped: sql.table) SET state = \(discard ? "discarded" : "retryable"), run_at = \(retryAt),
                            finished_at = \(discard ? now : nil), lease_expires_at = NULL, last_error = \(String(message.prefix(2_000))),
                            errors = errors || \(entry)::jsonb
                        WHERE id = \(job.id) AND leased_by = \(workerID) AND state = 'running'
                        """, logger: logger)
                }
                Counter(label: "emporium_jobs_failed_total", dimensions: [("schema", configuration.schema), ("kind", job.kind)]).increment()
                logger.warning(discard ? "job discarded after its last attempt" : "job failed; will retry", metadata: [
                    "job.id": "\(job.id)", "job.kind": "\(job.kind)", "job.attempt": "\(job.attempts)", "error": "\(message.prefix(500))",
                ])
            }
        } catch {
            // The lease runs out and the job runs again: at least once, never lost.
            logger.error("job outcome not recorded; its lease will expire", metadata: ["job.id": "\(job.id)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Seconds before attempt `attempt + 1`: exponential, capped, ±25 % jitter.
    func backoff(attempt: Int) -> TimeInterval {
        let base = Self.seconds(configuration.backoffBase) * pow(2, Double(min(max(attempt - 1, 0), 30)))
        let capped = min(base, Self.seconds(configuration.maximumBackoff))
        return capped * Double.random(in: 0.75...1.25)
    }

    /// Renews the leases of this worker's running jobs and cancels those an operator asked to stop.
    public func heartbeat() async throws {
        let ids = running.withLockedValue { Array($0.keys) }
        guard !ids.isEmpty else { return }
        let leaseEnd = clock.now().addingTimeInterval(Self.seconds(configuration.lease))
        let sql = sql
        let logger = logger
        let workerID = workerID
        let stop = try await client.withConnection { connection in
            try await connection.query("""
                UPDATE \(unescaped: sql.table) SET lease_expires_at = \(leaseEnd)
                WHERE id = ANY(\(ids)) AND leased_by = \(workerID) AND state = 'running' RETURNING id, cancel_requested
                """, logger: logger).decode((Int64, Bool).self).collectAll().filter(\.1).map(\.0)
        }
        guard !stop.isEmpty else { return }
        cancelRequested.withLockedValue { $0.formUnion(stop) }
        let cancels = running.withLockedValue { running in stop.compactMap { running[$0]?.cancel } }
        for cancel in cancels { cancel() }
    }

    /// Jobs whose worker stopped renewing their lease (it died) become due again, or are
    /// discarded when that was their last attempt. Returns how many.
    @discardableResult
    public func reapExpiredLeases() async throws -> Int {
        let now = clock.now()
        let sql = sql
        let logger = logger
        return try await client.withConnection { connection in
            try await connection.query("""
                UPDATE \(unescaped: sql.table) SET
                    state = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempts >= max_attempts THEN 'discarded' ELSE 'retryable' END,
                    run_at = \(now), leased_by = NULL, lease_expires_at = NULL, last_error = 'the worker stopped renewing its lease',
                    finished_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN \(now) ELSE NULL END
                WHERE state = 'running' AND lease_expires_at < \(now)
                RETURNING id
                """, logger: logger).collectAll().count
        }
    }

    /// Enqueues each cron job for the ticks since the last check (the first check: the current
    /// minute only), each tick claimed once across processes.
    @discardableResult
    public func tickCron() async throws -> Int {
        guard !configuration.cron.isEmpty else { return 0 }
        let now = clock.now()
        let since = lastCronCheck.withLockedValue { last in
            defer { last = now }
            return last ?? now.addingTimeInterval(-now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) - 1)
        }
        var enqueued = 0
        for cron in configuration.cron {
            for tick in cron.schedule.ticks(after: since, through: now, limit: 60) {
                let request = try cron.request(tick)
                let sql = sql
                let logger = logger
                let queue = queue
                let claimed = try await client.transaction(logger: logger) { connection in
                    let rows = try await connection.query(
                        "INSERT INTO \(unescaped: sql.ticks) (name, at) VALUES (\(cron.name), \(tick)) ON CONFLICT DO NOTHING RETURNING name", logger: logger
                    ).collectAll()
                    guard !rows.isEmpty else { return false }
                    try await queue.enqueue(request, on: connection)
                    return true
                }
                if claimed { enqueued += 1 }
            }
        }
        return enqueued
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
