import Database
import EmporiumCore
import EmporiumTesting
import Foundation
@testable import Jobs
import Logging
import PostgresNIO
import Synchronization
import Testing

/// A clock tests move.
final class TestClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

struct Abandoned: Error {}

struct Broken: Error, CustomStringConvertible {
    var description: String { "the printer is on fire" }
}

/// The queue's contract on real PostgreSQL.
@Suite(.serialized, .timeLimit(.minutes(3))) struct JobQueueContractTests {
    static let logger: Logger = { var logger = Logger(label: "emporium.test.jobs"); logger.logLevel = .warning; return logger }()

    struct Payload: Codable, Sendable { var n: Int }

    /// A schema with the job table and an `effects` table the handlers write to (each job id at
    /// most once: a second run would fail on the primary key and be seen).
    static func run(_ body: @Sendable (PostgresClient.Configuration, PostgresClient, TestClock) async throws -> Void) async throws {
        let effects = Migration(version: 1, name: "0001_effects.sql", sql: "CREATE TABLE effects (job_id bigint PRIMARY KEY, worker text NOT NULL)")
        let configuration = try await TestPostgres.shared.freshDatabase(named: "jobs", migrations: [MigrationSet(schema: "svc", migrations: [effects, JobsSchema.migration()])])
        try await withPostgresClient(configuration, logger: logger) { client in
            try await body(configuration, client, TestClock())
        }
    }

    static func worker(
        _ client: PostgresClient, clock: TestClock, queues: [String: Int] = ["default": 4], maxBackoff: Duration = .seconds(3600),
        _ handle: @escaping @Sendable (JobRecord, JobContext, String) async throws -> Void = { _, _, _ in }
    ) -> JobWorker {
        var configuration = JobWorker.Configuration(schema: "svc", queues: queues)
        configuration.backoffBase = .seconds(10)
        configuration.maximumBackoff = maxBackoff
        configuration.pollInterval = .seconds(3600)
        var handlers = JobHandlers()
        let holder = Mutex<String>("")
        handlers.on("effect") { job, context in
            let name = holder.withLock { $0 }
            try await handle(job, context, name)
            try await client.query("INSERT INTO svc.effects (job_id, worker) VALUES (\(job.id), \(name))", logger: logger)
        }
        let worker = JobWorker(configuration: configuration, handlers: handlers, client: client, clock: clock, logger: logger)
        holder.withLock { $0 = worker.workerID }
        return worker
    }

    static func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self).collectAll().first ?? 0
    }

    static func effect(_ n: Int = 0, runAt: Date? = nil, key: String? = nil, attempts: Int = 20, timeout: Duration = .seconds(60), priority: Int = 0) throws -> JobRequest {
        try JobRequest(kind: "effect", payload: Payload(n: n), priority: priority, runAt: runAt, uniqueKey: key, maxAttempts: attempts, timeout: timeout)
    }

    @Test func twoProcessesNeverRunTheSameJob() async throws {
        try await Self.run { configuration, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            for n in 0..<200 { try await queue.enqueue(Self.effect(n)) }
            // A second client: another process's pool.
            try await withPostgresClient(configuration, logger: Self.logger) { other in
                let first = Self.worker(client, clock: clock)
                let second = Self.worker(other, clock: clock)
                async let a = first.runDue()
                async let b = second.runDue()
                let (ranA, ranB) = try await (a, b)
                #expect(ranA + ranB == 200)
                #expect(ranA > 0 && ranB > 0, "both took a share (\(ranA), \(ranB))")
            }
            #expect(try await Self.count(client, "SELECT count(*)::integer FROM svc.effects") == 200)
            #expect(try await Self.count(client, "SELECT count(*)::integer FROM svc.jobs WHERE state = 'completed' AND attempts = 1") == 200)
        }
    }

    @Test func aJobEnqueuedInATransactionThatRollsBackNeverRuns() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            do {
                try await client.transaction(logger: Self.logger) { connection in
                    try await queue.enqueue(Self.effect(), on: connection)
                    throw Abandoned()
                }
                Issue.record("the transaction did not roll back")
            } catch is Abandoned {}
            #expect(try await Self.worker(client, clock: clock).runDue() == 0)
            #expect(try await Self.count(client, "SELECT count(*)::integer FROM svc.jobs") == 0)
        }
    }

    @Test func aScheduledJobBecomesDueAtItsTime() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let worker = Self.worker(client, clock: clock)
            try await queue.enqueue(Self.effect(runAt: clock.now().addingTimeInterval(3600)))
            #expect(try await worker.runDue() == 0)
            clock.advance(by: 3599)
            #expect(try await worker.runDue() == 0)
            clock.advance(by: 1)
            #expect(try await worker.runDue() == 1)
        }
    }

    @Test func anEnqueueWakesAListeningWorkerWithoutPolling() async throws {
        try await Self.run { _, client, clock in
            let worker = Self.worker(client, clock: clock)  // polls once an hour
            let running = Task { try await worker.run() }
            defer { running.cancel() }
            try await Task.sleep(for: .milliseconds(300))  // its LISTEN is up
            try await JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger).enqueue(Self.effect())
            try await eventually("the job ran", timeout: .seconds(10)) {
                try await Self.count(client, "SELECT count(*)::integer FROM svc.effects") == 1
            }
        }
    }

    @Test func aKilledWorkersJobRunsAgainExactlyOnceAfterItsLease() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let job = try await queue.enqueue(Self.effect())
            let dead = Self.worker(client, clock: clock)
            #expect(try await dead.fetch().map(\.id) == [job.id], "leased, then the process dies")
            let survivor = Self.worker(client, clock: clock)
            #expect(try await survivor.runDue() == 0, "leased to the dead worker")
            clock.advance(by: 29)
            #expect(try await survivor.reapExpiredLeases() == 0)
            clock.advance(by: 2)
            #expect(try await survivor.reapExpiredLeases() == 1)
            #expect(try await survivor.runDue() == 1)
            #expect(try await survivor.runDue() == 0)
            let record = try #require(try await queue.job(id: job.id))
            #expect(record.state == .completed && record.attempts == 2)
            #expect(try await Self.count(client, "SELECT count(*)::integer FROM svc.effects") == 1)
        }
    }

    @Test func failuresAreRetriedWithBackoffThenDiscardedAndAnOperatorCanRetry() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let job = try await queue.enqueue(Self.effect(attempts: 3))
            let worker = Self.worker(client, clock: clock) { _, _, _ in throw Broken() }
            #expect(try await worker.runDue() == 1)
            var record = try #require(try await queue.job(id: job.id))
            #expect(record.state == .retryable && record.lastError == "the printer is on fire")
            let delay = record.runAt.timeIntervalSince(clock.now())
            #expect((7.4...12.6).contains(delay), "10 s ± 25 %: \(delay)")
            #expect(try await worker.runDue() == 0, "not due yet")
            clock.advance(by: 13)
            #expect(try await worker.runDue() == 1)
            record = try #require(try await queue.job(id: job.id))
            #expect(record.state == .retryable && (14.9...25.1).contains(record.runAt.timeIntervalSince(clock.now())), "20 s ± 25 %")
            clock.advance(by: 26)
            #expect(try await worker.runDue() == 1)
            record = try #require(try await queue.job(id: job.id))
            #expect(record.state == .discarded && record.attempts == 3 && record.finishedAt != nil)
            clock.advance(by: 3600)
            #expect(try await worker.runDue() == 0, "discarded jobs stay put")
            #expect(try await Self.count(client, "SELECT jsonb_array_length(errors) FROM svc.jobs") == 3)
            let retried = try await queue.retry(id: job.id)
            #expect(retried.state == .available && retried.attempts == 0)
            await #expect(throws: EmporiumError.self) { try await queue.retry(id: job.id) }
        }
    }

    @Test func aFailureRetryingCannotMendIsDiscardedAtOnce() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let job = try await queue.enqueue(Self.effect(attempts: 5))
            let worker = Self.worker(client, clock: clock) { _, _, _ in throw UnretryableJobError("the upload is not an image") }
            #expect(try await worker.runDue() == 1)
            let record = try #require(try await queue.job(id: job.id))
            #expect(record.state == .discarded && record.attempts == 1 && record.lastError == "the upload is not an image")
            clock.advance(by: 3600)
            #expect(try await worker.runDue() == 0)
            // Still the operator's to retry.
            #expect(try await queue.retry(id: job.id).state == .available)
        }
    }

    @Test func aRunPastItsTimeoutIsCancelledAndCountsAsAFailure() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let job = try await queue.enqueue(Self.effect(timeout: .milliseconds(200)))
            let worker = Self.worker(client, clock: clock) { _, _, _ in try await Task.sleep(for: .seconds(30)) }
            let started = ContinuousClock.now
            #expect(try await worker.runDue() == 1)
            #expect(ContinuousClock.now - started < .seconds(10))
            let record = try #require(try await queue.job(id: job.id))
            #expect(record.state == .retryable && record.lastError?.contains("timed out") == true, "\(record.lastError ?? "")")
        }
    }

    @Test func waitingAndRunningJobsCanBeCancelled() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let waiting = try await queue.enqueue(Self.effect(runAt: clock.now().addingTimeInterval(60)))
            #expect(try await queue.cancel(id: waiting.id).state == .cancelled)
            clock.advance(by: 61)
            let longRunning = try await queue.enqueue(Self.effect())
            let worker = Self.worker(client, clock: clock) { _, context, _ in
                try await context.progress(10, "started")
                while true { try await Task.sleep(for: .milliseconds(10)) }
            }
            let run = Task { try await worker.runDue() }
            try await eventually("the job runs") { try await queue.job(id: longRunning.id)?.progress == 10 }
            #expect(try await queue.cancel(id: longRunning.id).state == .running, "asked, not yet stopped")
            try await worker.heartbeat()
            #expect(try await run.value == 1)
            let record = try #require(try await queue.job(id: longRunning.id))
            #expect(record.state == .cancelled && record.progressMessage == "started")
            #expect(try await Self.count(client, "SELECT count(*)::integer FROM svc.effects") == 0)
            await #expect(throws: EmporiumError.self) { try await queue.cancel(id: longRunning.id) }
        }
    }

    @Test func aUniqueKeyHoldsOnePendingJob() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let first = try await queue.enqueue(Self.effect(key: "export:seller-1"))
            let second = try await queue.enqueue(Self.effect(key: "export:seller-1"))
            #expect(first.isNew && !second.isNew && first.id == second.id)
            #expect(try await Self.worker(client, clock: clock).runDue() == 1)
            let third = try await queue.enqueue(Self.effect(key: "export:seller-1"))
            #expect(third.isNew && third.id != first.id, "a finished job frees its key")
        }
    }

    @Test func higherPriorityRunsFirstAndQueuesKeepTheirConcurrency() async throws {
        try await Self.run { _, client, clock in
            let queue = JobQueue(schema: "svc", client: client, clock: clock, logger: Self.logger)
            let low = try await queue.enqueue(Self.effect(priority: 0))
            let high = try await queue.enqueue(Self.effect(priority: 10))
            let worker = Self.worker(client, clock: clock, queues: ["default": 1])
            #expect(try await worker.fetch().map(\.id) == [high.id])
            #expect(try await worker.fetch().isEmpty, "its one slot is taken")
            _ = low
        }
    }

    @Test func aCronTickIsEnqueuedOnceAcrossProcesses() async throws {
        try await Self.run { _, client, clock in
            let start = try Date("2026-12-04T08:59:30Z", strategy: .iso8601)
            let fixed = TestClock(start)
            func scheduled() throws -> JobWorker {
                var configuration = JobWorker.Configuration(schema: "svc")
                configuration.cron = [CronJob(name: "nightly", schedule: try CronSchedule("0 9 * * *")) { tick in
                    try JobRequest(kind: "effect", payload: Payload(n: Int(tick.timeIntervalSince1970)))
                }]
                return JobWorker(configuration: configuration, handlers: JobHandlers(), client: client, clock: fixed, logger: Self.logger)
            }
            let (a, b) = (try scheduled(), try scheduled())
            #expect(try await a.tickCron() == 0)
            #expect(try await b.tickCron() == 0)
            fixed.advance(by: 45)  // 09:00:15
            let first = try await a.tickCron()
            let second = try await b.tickCron()
            #expect(first + second == 1)
            fixed.advance(by: 3600)
            let later = try await a.tickCron()
            #expect(try await later + b.tickCron() == 0)
            #expect(try await Self.count(client, "SELECT count(*)::integer FROM svc.jobs") == 1)
            _ = clock
        }
    }
}
