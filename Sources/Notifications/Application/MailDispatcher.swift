import Database
import EmporiumCore
import Foundation
import Logging
import Mail
import PostgresNIO
import ServiceLifecycle

/// Sends the mail notifications queue: due messages in batches, each batch locked with
/// `FOR UPDATE SKIP LOCKED` (several processes never send one message twice); a failure is
/// retried with exponential backoff and jitter, and after ``maxAttempts`` the message stays in
/// `notifications.mail_queue` with its last error, where `emporium notifications mail` shows it.
public struct MailDispatcher: Service {
    let client: PostgresClient
    let mailer: any Mailer
    let clock: any TimeSource
    let logger: Logger
    public let interval: Duration
    public static let maxAttempts = 8
    static let batchSize = 50

    public init(client: PostgresClient, mailer: any Mailer, clock: any TimeSource = SystemTimeSource(), interval: Duration = .seconds(1), logger: Logger) {
        self.client = client
        self.mailer = mailer
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let dispatcher = self
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await dispatcher.sendDue()
                } catch {
                    if Task.isCancelled { return }
                    dispatcher.logger.error("mail dispatch failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                }
                do { try await Task.sleep(for: dispatcher.interval) } catch { return }
            }
        }
    }

    /// Sends every message due now; returns how many were sent.
    @discardableResult
    public func sendDue() async throws -> Int {
        var sent = 0
        while true {
            let (batchSent, batchSize) = try await sendBatch()
            sent += batchSent
            if batchSize < Self.batchSize { return sent }
        }
    }

    private func sendBatch() async throws -> (sent: Int, taken: Int) {
        let now = clock.now()
        let logger = logger
        let mailer = mailer
        return try await client.transaction(logger: logger) { connection in
            let due = try await connection.query("""
                SELECT id, to_address, subject, body, attempts FROM notifications.mail_queue
                WHERE sent_at IS NULL AND attempts < \(Self.maxAttempts) AND next_attempt_at <= \(now)
                ORDER BY next_attempt_at LIMIT \(Self.batchSize) FOR UPDATE SKIP LOCKED
                """, logger: logger).decode((Int64, String, String, String, Int).self).collectAll()
            var sent = 0
            for (id, to, subject, body, attempts) in due {
                do {
                    try await mailer.send(MailMessage(to: to, subject: subject, text: body))
                    try await connection.query("UPDATE notifications.mail_queue SET sent_at = \(now), attempts = \(attempts + 1) WHERE id = \(id)", logger: logger)
                    sent += 1
                } catch {
                    let next = now.addingTimeInterval(Self.backoff(afterAttempt: attempts + 1))
                    let reason = String(String(describing: error).prefix(500))
                    try await connection.query("""
                        UPDATE notifications.mail_queue SET attempts = \(attempts + 1), next_attempt_at = \(next), last_error = \(reason) WHERE id = \(id)
                        """, logger: logger)
                    let parked = attempts + 1 >= Self.maxAttempts
                    logger.log(level: parked ? .error : .warning, parked ? "mail not sent; kept in notifications.mail_queue" : "mail not sent; will retry", metadata: [
                        "mail.id": "\(id)", "attempt": "\(attempts + 1)", "error": "\(reason)",
                    ])
                }
            }
            return (sent, due.count)
        }
    }

    /// 30 s, 1 min, 2 min, … up to an hour, less up to a fifth at random.
    static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let base = min(30 * pow(2, Double(min(attempt - 1, 12))), 3600)
        return base * Double.random(in: 0.8...1.0)
    }
}
