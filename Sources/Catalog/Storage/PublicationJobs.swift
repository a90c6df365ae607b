import Contracts
import Database
import EmporiumCore
import Foundation
import Jobs
import Logging
import Messaging
import PostgresNIO

/// Scheduled publication as a job: scheduling a product enqueues `catalog.publish-product` for
/// its time, in the transaction of the change; rescheduling replaces the job; cancelling (back to
/// draft), publishing at once or archiving cancels it. At its time the job publishes the product
/// — status `published`, a new version and `ProductPublished` in the outbox, which invalidates
/// cached answers and tells the other services — unless the product was changed meanwhile.
enum PublicationJobs {
    static let kind = "catalog.publish-product"
    static let queue = "catalog"

    struct Payload: Codable, Sendable {
        var productId: String
        /// The time the job was made for: a product rescheduled since is left to its new job.
        var publishAt: Date
    }

    static func key(_ id: ProductID) -> String { "publish:\(id)" }

    static func sync(from previous: Product, to updated: Product, queue jobs: JobQueue, on connection: PostgresConnection, logger: Logger) async throws {
        let wasScheduled = previous.status == .scheduled
        let isScheduled = updated.status == .scheduled
        guard wasScheduled || isScheduled else { return }
        if wasScheduled && isScheduled && previous.publishAt == updated.publishAt { return }
        if wasScheduled {
            try await connection.query("""
                UPDATE catalog.jobs SET state = 'cancelled', finished_at = now(), last_error = 'the publication was rescheduled or cancelled'
                WHERE unique_key = \(key(updated.id)) AND state IN ('available', 'retryable')
                """, logger: logger)
        }
        if isScheduled, let publishAt = updated.publishAt {
            try await jobs.enqueue(JobRequest(
                kind: kind, payload: Payload(productId: updated.id.description, publishAt: publishAt), queue: queue, runAt: publishAt,
                uniqueKey: key(updated.id), maxAttempts: 25, timeout: .seconds(60)), on: connection)
        }
    }
}

extension PostgresProductStore {
    /// The publication job's work: publishes the product if it is still scheduled for
    /// `publishAt`; answers whether it did.
    public func publishScheduled(id: ProductID, publishAt: Date, at now: Date) async throws -> Bool {
        let logger = logger
        let outbox = outbox
        return try await client.transaction(logger: logger) { connection in
            guard let previous = try await lockProduct(id, on: connection), previous.status == .scheduled, let scheduled = previous.publishAt,
                  abs(scheduled.timeIntervalSince(publishAt)) < 0.001 else { return false }
            var sql = SQLBuilder("UPDATE catalog.products AS p SET status = 'published', ")
            sql.append("updated_at = \(sql.bind(max(now, previous.updatedAt))), version = p.version + 1 WHERE p.id = \(sql.bind(id.uuid)) RETURNING \(ProductRow.columns)")
            var updated: Product?
            for try await row in try await connection.query(sql.query, logger: logger) { updated = try ProductRow.decode(row) }
            guard let updated else { return false }
            try await outbox.append(try ProductEvents.envelopes(from: previous, to: updated), on: connection, logger: logger)
            return true
        }
    }
}
