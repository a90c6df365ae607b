import EmporiumCore
import Logging
import ServiceLifecycle

/// Returns the units of reservations that were not committed in time.
///
/// A `Service`: `run()` sweeps every `interval` until graceful shutdown (a sweep in progress
/// finishes its transaction first). Each sweep takes batches with `FOR UPDATE SKIP LOCKED`, so
/// several processes can run it side by side without waiting on each other or releasing a
/// reservation twice.
public struct ReservationExpiry: Service {
    let reservations: any ReservationStore
    let clock: any TimeSource
    public let interval: Duration
    public let batchSize: Int
    let logger: Logger

    public init(reservations: any ReservationStore, clock: any TimeSource = SystemTimeSource(), interval: Duration = .seconds(1), batchSize: Int = 100, logger: Logger) {
        self.reservations = reservations
        self.clock = clock
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        let expiry = self
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await expiry.sweep()
                } catch {
                    if Task.isCancelled { return }
                    // The database may be briefly unreachable; the next pass retries.
                    expiry.logger.error("reservation expiry failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                do { try await Task.sleep(for: expiry.interval) } catch { return }
            }
        }
    }

    /// Releases every reservation due by now, in batches; returns how many.
    @discardableResult
    public func sweep() async throws -> Int {
        var total = 0
        while true {
            let released = try await reservations.releaseExpired(asOf: clock.now(), limit: batchSize)
            total += released.count
            if !released.isEmpty {
                logger.info("released expired reservations", metadata: ["reservations.count": "\(released.count)"])
            }
            if released.count < batchSize { return total }
        }
    }
}
