import Database
import Foundation
import Jobs
import Logging
import PostgresNIO
import ServiceKit

/// `emporium jobs …`: every service's job table, found by its migrations (a service has jobs
/// when its migrations include the job table), read and acted on through ``JobQueue``.
public enum JobAdministration {
    /// The services among `services` that keep jobs.
    public static func servicesWithJobs(_ services: [ServiceDescriptor]) throws -> [ServiceDescriptor] {
        try services.filter { try $0.migrations().migrations.contains { $0.version == JobsSchema.migrationVersion } }
    }

    public static func queues(_ services: [ServiceDescriptor], client: PostgresClient, logger: Logger) throws -> [(service: String, queue: JobQueue)] {
        try servicesWithJobs(services).map { ($0.name, JobQueue(schema: $0.schema, client: client, logger: logger)) }
    }

    /// One line per job.
    public static func describe(_ service: String, _ job: JobRecord) -> String {
        var line = "\(service) #\(job.id) \(job.kind) [\(job.queue)] \(job.state.rawValue) attempt \(job.attempts)/\(job.maxAttempts)"
        line += " run_at \(job.runAt.formatted(.iso8601))"
        if job.progress > 0 { line += " \(job.progress)%" + (job.progressMessage.map { " \($0)" } ?? "") }
        if let error = job.lastError { line += " — \(error.prefix(200))" }
        return line
    }
}
