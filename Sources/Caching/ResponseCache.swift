import EmporiumCore
import Logging
import Metrics
import NIOCore
import Synchronization

/// Whole GraphQL answers for anonymous clients, kept in this process's memory and invalidated
/// by tag (``TagInvalidation``): a product page read by thousands of visitors costs one execution
/// until the product or its stock changes.
///
/// What is cached is decided elsewhere: the executor sets `GraphQLOutcome.cacheMaxAge` (the
/// gateway does, from its table of cacheable root fields) and resolvers add the tags of what
/// they read (`ResponseTags`). Only answers without errors are stored; requests with an
/// `Authorization` header never use the cache (their answers may depend on who asks).
///
/// - The key is the operation text, the operation name and the variables as sent.
/// - A hit is served while the entry is younger than its maximum age and none of its tags
///   changed since the position read before it was computed.
/// - Memory is bounded by `maximumBytes`, keys included (``BoundedCache``: two generations, the
///   older is dropped when the newer fills half the budget, and hits promote); entries above
///   `maximumEntryBytes` are not kept.
/// - When the tag store fails (Redis down), requests are executed and nothing is stored.
public final class ResponseCache: Sendable {
    /// The request as the cache tells requests apart. GraphQLSupport builds it from a
    /// `GraphQLRequest` (`ResponseCache.Key.init(_:)`), with the variables in canonical order.
    public struct Key: Hashable, Sendable {
        let text: String

        /// What the key costs in memory: a query may be up to a megabyte of text.
        var bytes: Int { text.utf8.count }

        /// `variables` is the request's variables as JSON with a canonical key order (clients
        /// build them from unordered dictionaries), empty when there are none.
        public init(operationName: String?, query: String, variables: String) {
            text = (operationName ?? "") + "\u{1}" + query + "\u{1}" + variables
        }
    }

    /// What ``lookup(_:)`` found.
    public enum Lookup: Sendable {
        /// A current answer, and how long ago it was computed.
        case hit(ByteBuffer, age: Duration)
        /// Execute, then offer the answer to ``store(_:body:tags:maxAge:since:)`` with this
        /// position; `nil` when the tag store is unavailable (do not store).
        case miss(position: UInt64?)
    }

    private struct Entry: Sendable {
        let body: ByteBuffer
        let tags: [String]
        let position: UInt64
        let storedAt: ContinuousClock.Instant
        let expiresAt: ContinuousClock.Instant
    }

    public let maximumBytes: Int
    public let maximumEntryBytes: Int
    private let invalidation: any TagInvalidation
    /// The same tag store when it answers without waiting (``immediateHit(_:)``).
    private let local: (any LocalTagInvalidation)?
    /// The time entries are stored and expire by; injectable so that tests step it.
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    /// Bounded by bytes only, as the answers' sizes vary too much for a count to mean anything.
    private let entries: BoundedCache<Key, Entry>
    private let lastWarning = Mutex<ContinuousClock.Instant?>(nil)
    private let hits: Counter
    private let misses: Counter
    private let stale: Counter
    private let errors: Counter

    public convenience init(
        invalidation: any TagInvalidation, maximumBytes: Int = 64 << 20, maximumEntryBytes: Int = 256 << 10,
        clock: ContinuousClock = ContinuousClock(), logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.init(
            invalidation: invalidation, maximumBytes: maximumBytes, maximumEntryBytes: maximumEntryBytes,
            now: { clock.now }, logger: logger, metricsFactory: metricsFactory
        )
    }

    /// `now` stands in for the clock: expiry is then tested by stepping time, not by sleeping.
    public init(
        invalidation: any TagInvalidation, maximumBytes: Int = 64 << 20, maximumEntryBytes: Int = 256 << 10,
        now: @escaping @Sendable () -> ContinuousClock.Instant, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.invalidation = invalidation
        self.local = invalidation as? any LocalTagInvalidation
        self.maximumBytes = maximumBytes
        self.maximumEntryBytes = min(maximumEntryBytes, maximumBytes / 4)
        self.now = now
        self.logger = logger
        entries = BoundedCache(maximumEntries: .max, maximumBytes: maximumBytes)
        hits = Counter(label: "response_cache_hits_total", factory: metricsFactory)
        misses = Counter(label: "response_cache_misses_total", factory: metricsFactory)
        stale = Counter(label: "response_cache_stale_total", factory: metricsFactory)
        errors = Counter(label: "response_cache_errors_total", factory: metricsFactory)
    }

    public func lookup(_ key: Key) async -> Lookup {
        let now = self.now()
        if let entry = entries.value(for: key, where: { $0.expiresAt > now }) {
            do {
                if try await invalidation.isCurrent(entry.tags, since: entry.position) {
                    hits.increment()
                    return .hit(entry.body, age: now - entry.storedAt)
                }
                stale.increment()
                // Only the entry found stale: a newer answer stored meanwhile stays.
                entries.removeValue(for: key) { $0.storedAt != entry.storedAt }
            } catch {
                failed(error)
                return .miss(position: nil)
            }
        }
        misses.increment()
        do {
            return .miss(position: try await invalidation.position())
        } catch {
            failed(error)
            return .miss(position: nil)
        }
    }

    /// A current answer found without waiting, for a caller that must not wait (an event loop):
    /// only when the tag store is in this process's memory (the single node). Nil means "ask
    /// ``lookup(_:)``": a miss, an expired or stale entry, or a shared tag store. A hit is
    /// counted here, everything else there.
    public func immediateHit(_ key: Key) -> (body: ByteBuffer, age: Duration)? {
        guard let local else { return nil }
        let now = self.now()
        guard let entry = entries.value(for: key, where: { $0.expiresAt > now }),
              local.isCurrentLocally(entry.tags, since: entry.position) else { return nil }
        hits.increment()
        return (entry.body, now - entry.storedAt)
    }

    /// Keeps an answer computed after reading `position`, unless one of its tags changed since
    /// or too recently, or it is too large.
    public func store(_ key: Key, body: ByteBuffer, tags: [String], maxAge: Duration, since position: UInt64) async {
        let maxAge = min(maxAge, invalidation.retention)
        // Body and key: what the entry costs against the budget.
        let bytes = body.readableBytes + key.bytes
        guard maxAge > .zero, bytes <= maximumEntryBytes else { return }
        do {
            guard try await invalidation.mayStore(tags, since: position) else { return }
        } catch {
            failed(error)
            return
        }
        let now = self.now()
        entries.store(Entry(body: body, tags: tags, position: position, storedAt: now, expiresAt: now + maxAge), for: key, bytes: bytes)
    }

    /// Entries held (both generations).
    public var count: Int {
        entries.statistics.entries
    }

    /// Counted every time, logged at most every 10 s: when Redis is down, every request fails here.
    private func failed(_ error: any Error) {
        errors.increment()
        let now = self.now()
        let due = lastWarning.withLock { last in
            guard last.map({ now - $0 >= .seconds(10) }) ?? true else { return false }
            last = now
            return true
        }
        if due { logger.warning("response cache unavailable; answering without it", metadata: ["error": "\(error)"]) }
    }
}
