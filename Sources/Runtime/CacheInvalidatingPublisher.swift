import Caching
import Contracts
import Logging
import Messaging

/// Invalidates the response cache's tags of committed events, then hands them on.
///
/// The outbox relay publishes only committed rows, and every change of every service writes its
/// events to the outbox in its own transaction: invalidating here covers
/// every change, whichever use case or event handler made it, in one place. The delay after the
/// commit is the relay's wake-up (a NOTIFY, a few milliseconds); readers with a token never use
/// the cache, so a seller sees their own change at once.
///
/// A failed invalidation (Redis unreachable) is logged and counted and does not hold the events
/// back: the answers concerned live at most their maximum age (60 s for single products).
struct CacheInvalidatingPublisher: EventPublisher {
    let inner: any EventPublisher
    let invalidation: any TagInvalidation
    let tags: @Sendable (EventEnvelope) -> [String]
    let logger: Logger

    func publish(_ events: [EventEnvelope]) async throws {
        let invalidated = Set(events.flatMap(tags))
        if !invalidated.isEmpty {
            do {
                try await invalidation.invalidate(invalidated.sorted())
            } catch {
                logger.error("response cache invalidation failed; cached answers live until their maximum age", metadata: [
                    "cache.tags": "\(invalidated.count)", "error": "\(error)",
                ])
            }
        }
        try await inner.publish(events)
    }
}
