import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Cancels orders not paid by their deadline (`EMPORIUM_PAYMENT_TIMEOUT_SECONDS`), which releases
/// their stock; a payment arriving later is refunded by the machine. Batches are taken with
/// `FOR UPDATE SKIP LOCKED`, so any number of orders processes sweep side by side.
public struct PaymentDeadlines: Service {
    static let reason = "not paid in time"

    let client: PostgresClient
    let workflow: OrderWorkflow
    let clock: any TimeSource
    let interval: Duration
    let logger: Logger

    public init(client: PostgresClient, workflow: OrderWorkflow, clock: any TimeSource = SystemTimeSource(), interval: Duration = .seconds(1), logger: Logger) {
        self.client = client
        self.workflow = workflow
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await self.sweep()
                } catch {
                    if Task.isCancelled { return }
                    self.logger.error("payment deadline sweep failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                do { try await Task.sleep(for: self.interval) } catch { return }
            }
        }
    }

    /// Cancels every order due by now; returns how many.
    @discardableResult
    public func sweep() async throws -> Int {
        var total = 0
        while true {
            let now = clock.now()
            let logger = logger
            let workflow = workflow
            let cancelled = try await client.transaction(logger: logger) { connection in
                let due = try await connection.query("""
                    SELECT id FROM orders.orders WHERE status = 'AWAITING_PAYMENT' AND payment_deadline <= \(now)
                    ORDER BY payment_deadline LIMIT 100 FOR UPDATE SKIP LOCKED
                    """, logger: logger).decode(UUID.self).collectAll()
                for id in due {
                    try await workflow.apply(.paymentDeadlinePassed, to: OrderID(uuid: id), reason: Self.reason, on: connection, logger: logger)
                }
                return due.count
            }
            total += cancelled
            if cancelled > 0 { logger.info("cancelled unpaid orders", metadata: ["orders.count": "\(cancelled)"]) }
            if cancelled < 100 { return total }
        }
    }
}
