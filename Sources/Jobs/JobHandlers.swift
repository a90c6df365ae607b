public import Foundation
public import Logging
import Database
import PostgresNIO

/// What a running job's handler gets besides the job: a way to report progress, and its logger.
/// A handler that loops checks `Task.isCancelled` (or calls `Task.checkCancellation()`): a
/// cancellation request, the timeout and shutdown all arrive as task cancellation.
public struct JobContext: Sendable {
    public let job: JobRecord
    public let logger: Logger
    let report: @Sendable (Int, String?) async throws -> Void

    /// Records progress (0–100, clamped) and a short message, visible to operators and users.
    public func progress(_ percent: Int, _ message: String? = nil) async throws {
        try await report(max(0, min(100, percent)), message.map { String($0.prefix(500)) })
    }
}

/// The handlers of one worker, by job kind.
public struct JobHandlers: Sendable {
    public typealias Handler = @Sendable (JobRecord, JobContext) async throws -> Void
    var handlers: [String: Handler] = [:]

    public init() {}

    public mutating func on(_ kind: String, _ handle: @escaping Handler) {
        handlers[kind] = handle
    }

    /// A handler whose payload decodes to `Payload` (a payload that does not decode fails the
    /// attempt with the decoding error, and is discarded after its attempts like any failure).
    public mutating func on<Payload: Decodable & Sendable>(_ kind: String, _: Payload.Type, _ handle: @escaping @Sendable (Payload, JobContext) async throws -> Void) {
        handlers[kind] = { job, context in try await handle(try job.decode(Payload.self), context) }
    }

    public var kinds: [String] { handlers.keys.sorted() }
}

/// A job enqueued on a cron schedule: at most once per tick across every process.
public struct CronJob: Sendable {
    public let name: String
    public let schedule: CronSchedule
    public let request: @Sendable (Date) throws -> JobRequest

    public init(name: String, schedule: CronSchedule, request: @escaping @Sendable (Date) throws -> JobRequest) {
        self.name = name
        self.schedule = schedule
        self.request = request
    }
}
