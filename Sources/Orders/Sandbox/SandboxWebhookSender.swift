import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Delivers the sandbox providers' webhooks, signed at each attempt (a fresh timestamp, as real
/// providers do), retried with backoff until the receiver accepts them. Queued in the same
/// transaction as the sandbox's own change, so none is lost to a crash.
///
/// The receiver is a closure: in this process it is the very handler `POST /webhooks/…` runs
/// (same bytes, same signature check); a deployment with a remote receiver would POST instead.
public final class SandboxWebhookSender: Service, Sendable {
    public enum Target: String, Sendable {
        case payments, delivery
    }

    /// Hands a signed webhook to its receiver; true when accepted (2xx).
    public typealias Receiver = @Sendable (_ target: Target, _ body: [UInt8], _ signature: String) async -> Bool

    let client: PostgresClient
    let signature: WebhookSignature
    let receiver: Mutex<Receiver?> = Mutex(nil)
    let logger: Logger
    static let maximumAttempts = 20

    public init(client: PostgresClient, signature: WebhookSignature, logger: Logger) {
        self.client = client
        self.signature = signature
        self.logger = logger
    }

    /// Set once the receivers exist (they need the workflow, which needs the providers).
    public func deliver(to receiver: @escaping Receiver) {
        self.receiver.withLock { $0 = receiver }
    }

    func enqueue(_ target: Target, _ webhook: some Encodable, on connection: PostgresConnection, logger: Logger) async throws {
        let body = String(decoding: try JSONEncoder().encode(webhook), as: UTF8.self)
        try await connection.query("INSERT INTO orders.sandbox_webhooks (target, body) VALUES (\(target.rawValue), \(body))", logger: logger)
    }

    /// Sends what is due now rather than at the next poll (a send running meanwhile skips the
    /// rows this one holds, and the other way round).
    public func wake() {
        Task { [self] in
            do { _ = try await sendDue() } catch { logger.warning("sandbox webhooks failed", metadata: ["error": "\(String(reflecting: error))"]) }
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                do {
                    _ = try await self.sendDue()
                    failures = 0
                } catch {
                    if Task.isCancelled { return }
                    failures += 1
                    // Once per outage step, not four times a second while the database is away.
                    if failures == 1 || failures.isMultiple(of: 20) {
                        self.logger.error("sandbox webhooks failed", metadata: ["error": "\(String(reflecting: error))", "failures": "\(failures)"])
                    }
                }
                // Retries that came due; new webhooks are sent at once by ``wake()``. Slower while failing.
                do { try await Task.sleep(for: failures == 0 ? .milliseconds(250) : .seconds(2)) } catch { return }
            }
        }
    }

    /// Sends every due webhook once; returns how many were accepted.
    @discardableResult
    public func sendDue(now: Date = Date()) async throws -> Int {
        guard let receiver = receiver.withLock({ $0 }) else { return 0 }
        let logger = logger
        let signature = signature
        // Rows stay locked while they are sent: two processes never send the same webhook.
        return try await client.transaction(logger: logger) { connection in
            let due = try await connection.query("""
                SELECT id, target, body, attempts FROM orders.sandbox_webhooks
                WHERE delivered_at IS NULL AND next_attempt_at <= \(now) AND attempts < \(Self.maximumAttempts)
                ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED
                """, logger: logger).decode((Int64, String, String, Int).self).collectAll()
            var accepted = 0
            for row in due {
                guard let target = Target(rawValue: row.1) else { continue }
                let body = Array(row.2.utf8)
                if await receiver(target, body, signature.sign(body, at: Date())) {
                    accepted += 1
                    try await connection.query("UPDATE orders.sandbox_webhooks SET delivered_at = now(), attempts = attempts + 1 WHERE id = \(row.0)", logger: logger)
                } else {
                    // 0.5 s, 1 s, 2 s, … up to a minute; after the last attempt it stays, visible.
                    let delay = min(60, 0.5 * pow(2, Double(min(row.3, 10))))
                    try await connection.query("""
                        UPDATE orders.sandbox_webhooks SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => \(delay)),
                            last_error = 'refused by the receiver' WHERE id = \(row.0)
                        """, logger: logger)
                    logger.warning("sandbox webhook refused; retrying", metadata: ["webhook.id": "\(row.0)", "attempts": "\(row.3 + 1)"])
                }
            }
            return accepted
        }
    }
}
