// Job queue benchmarks (docs/BENCHMARKS.md, #19), against a private PostgreSQL cluster (durable
// settings) started here:
//
// 1. Empty jobs per second, fetched and completed by one worker with 1 and with 8 slots, next to
//    pgbench running the same fetch-and-complete statements on the same table with 1 and 8
//    clients in the same run (the ratio is the queue's overhead).
// 2. Enqueue → start latency with LISTEN/NOTIFY (the worker would otherwise poll once a minute):
//    jobs enqueued at a fixed rate, each carrying its enqueue time; p50/p99/max.
//
//   swift build -c release --product jobs-bench
//   jobs-bench [--jobs 20000] [--rate 100] [--seconds 10]

import Database
import EmporiumCore
import Foundation
import Jobs
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

struct Options {
    var jobs = 20_000
    var rate = 100
    var seconds = 10

    init(_ arguments: [String]) {
        var i = 1
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--jobs": jobs = Int(value) ?? jobs
            case "--rate": rate = Int(value) ?? rate
            case "--seconds": seconds = Int(value) ?? seconds
            default: fatalError("unknown argument \(arguments[i]); see the comment at the top of main.swift")
            }
            i += 2
        }
    }
}

struct Empty: Codable, Sendable {}
struct Stamped: Codable, Sendable { var enqueuedAt: Double }

let options = Options(CommandLine.arguments)
let logger: Logger = { var logger = Logger(label: "jobs-bench"); logger.logLevel = .warning; return logger }()
let schema = "bench"

func withClient<T: Sendable>(_ configuration: PostgresClient.Configuration, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { await client.run(); return nil }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// Fills the queue with `count` empty jobs, 1,000 per transaction.
func fill(_ queue: JobQueue, _ client: PostgresClient, _ count: Int) async throws {
    var left = count
    while left > 0 {
        let n = min(1_000, left)
        try await client.transaction(logger: logger) { connection in
            for _ in 0..<n { try await queue.enqueue(JobRequest(kind: "empty", payload: Empty()), on: connection) }
        }
        left -= n
    }
}

func truncate(_ client: PostgresClient) async throws {
    try await client.query("TRUNCATE bench.jobs", logger: logger)
}

/// Runs pgbench (as the postgres user) with the same fetch-and-complete statements; returns tps.
func pgbench(_ binaries: PostgresBinaries, _ endpoint: PostgresEndpoint, database: String, clients: Int, seconds: Int) throws -> Double {
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-bench-\(getpid()).sql")
    try """
        BEGIN;
        UPDATE bench.jobs SET state = 'running', attempts = attempts + 1, started_at = now(), leased_by = 'pgbench', lease_expires_at = now() + interval '30 seconds'
          WHERE id IN (SELECT id FROM bench.jobs WHERE queue = 'default' AND state IN ('available', 'retryable') AND run_at <= now()
                       ORDER BY priority DESC, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id AS job_id \\gset
        UPDATE bench.jobs SET state = 'completed', progress = 100, finished_at = now(), lease_expires_at = NULL
          WHERE id = :job_id AND leased_by = 'pgbench' AND state = 'running';
        COMMIT;
        """.write(to: script, atomically: true, encoding: .utf8)
    chmod(script.path, 0o644)
    defer { try? FileManager.default.removeItem(at: script) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
    process.arguments = ["-u", "postgres", "--", binaries.path("pgbench"), "-n", "-M", "prepared", "-h", endpoint.host, "-p", String(endpoint.port),
                         "-c", String(clients), "-j", String(min(clients, 2)), "-T", String(seconds), "-f", script.path, database]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("tps") }),
          let value = line.split(separator: " ").dropFirst(2).first.flatMap({ Double($0) }) else {
        throw EmporiumError(.internalError, "pgbench said: \(text.suffix(500))")
    }
    return value
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-jobs-bench-\(getpid())").path
let cluster = PostgresCluster(directory: directory, removeOnExit: true, logger: logger)
let endpoint = try await cluster.start()
let binaries = try PostgresBinaries.locate()
_ = try await cluster.createDatabase("jobs")
var configuration = endpoint.clientConfiguration(database: "jobs")
configuration.options.maximumConnections = 20
print("jobs-bench: PostgreSQL 15 (durable settings), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Date().formatted(.iso8601))")

try await withClient(configuration) { client in
    _ = try await Migrator(client: client, logger: logger).migrate([MigrationSet(schema: schema, migrations: [JobsSchema.migration()])])
    let queue = JobQueue(schema: schema, client: client, logger: logger)

    // 1. Throughput.
    for slots in [1, 8] {
        try await truncate(client)
        try await fill(queue, client, options.jobs)
        var handlers = JobHandlers()
        handlers.on("empty") { _, _ in }
        let worker = JobWorker(configuration: .init(schema: schema, queues: ["default": slots]), handlers: handlers, client: client, logger: logger)
        let start = ContinuousClock.now
        let ran = try await worker.runDue()
        let elapsed = seconds(ContinuousClock.now - start)
        try await truncate(client)
        try await fill(queue, client, max(options.jobs, 5_000 * slots))
        let ceiling = try pgbench(binaries, endpoint, database: "jobs", clients: slots, seconds: options.seconds)
        print(String(format: "empty jobs, %d slot%@: %.0f jobs/s (%d in %.2f s); pgbench, same statements, %d client%@: %.0f tps; ratio %.2f",
                     slots, slots == 1 ? "" : "s", Double(ran) / elapsed, ran, elapsed, slots, slots == 1 ? "" : "s", ceiling, Double(ran) / elapsed / ceiling))
    }

    // 2. Enqueue → start with LISTEN (polling once a minute).
    try await truncate(client)
    let waits = Mutex<[Double]>([])
    var handlers = JobHandlers()
    handlers.on("stamped", Stamped.self) { payload, _ in
        let wait = Date().timeIntervalSince1970 - payload.enqueuedAt
        waits.withLock { $0.append(wait) }
    }
    var workerConfiguration = JobWorker.Configuration(schema: schema, queues: ["default": 8])
    workerConfiguration.pollInterval = .seconds(60)
    let worker = JobWorker(configuration: workerConfiguration, handlers: handlers, client: client, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        try await Task.sleep(for: .milliseconds(500))  // LISTEN is up
        let total = options.rate * options.seconds
        let interval = Duration.seconds(1) / options.rate
        let begin = ContinuousClock.now
        for n in 0..<total {
            try await Task.sleep(until: begin + interval * n, clock: .continuous)
            try await queue.enqueue(JobRequest(kind: "stamped", payload: Stamped(enqueuedAt: Date().timeIntervalSince1970)))
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while waits.withLock({ $0.count }) < total && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        let all = waits.withLock { $0 }.map { $0 * 1000 }
        print(String(format: "enqueue → start at %d jobs/s for %d s (LISTEN; polling once a minute): %d of %d started; p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50 ms)",
                     options.rate, options.seconds, all.count, total, percentile(all, 0.5), percentile(all, 0.99), all.max() ?? .nan))
    }
}
await cluster.stop()
