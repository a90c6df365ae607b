import Caching
import GraphQL
import Logging
import Metrics
import NIOCore
import OrderedCollections
import Synchronization

/// Whole GraphQL answers for anonymous clients, kept in this process's memory and invalidated
/// by tag (``TagInvalidation``): a product page read by thousands of visitors costs one execution
/// until the product or its stock changes.
///
/// What is cached is decided elsewhere: the executor sets `GraphQLOutcome.cacheMaxAge` (the
/// gateway does, from its table of cacheable root fields) and resolvers add the tags of what
/// they read (``ResponseTags``). Only answers without errors are stored; requests with an
/// `Authorization` header never use the cache (their answers may depend on who asks).
///
/// - The key is the operation text, the operation name and the variables as sent.
/// - A hit is served while the entry is younger than its maximum age and none of its tags
///   changed since the position read before it was computed.
/// - Memory is bounded by `maximumBytes`, keys included (two generations: the older is dropped
///   when the newer fills half the budget, and hits promote); entries above `maximumEntryBytes`
///   are not kept.
/// - When the tag store fails (Redis down), requests are executed and nothing is stored.
public final class ResponseCache: Sendable {
    public struct Key: Hashable, Sendable {
        let text: String

        /// What the key costs in memory: a query may be up to a megabyte of text.
        var bytes: Int { text.utf8.count }

        public init(_ request: GraphQLRequest) {
            // The variables' top level is sorted: clients build it from unordered dictionaries.
            let variables = OrderedDictionary(uniqueKeysWithValues: request.variables.sorted { $0.key < $1.key })
            let json = variables.isEmpty ? "" : String(decoding: JSONMap.serialize(.dictionary(variables)), as: UTF8.self)
            text = (request.operationName ?? "") + "\u{1}" + request.query + "\u{1}" + json
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

    private struct Entry {
        let body: ByteBuffer
        /// Body and key: what the entry costs against the budget.
        let bytes: Int
        let tags: [String]
        let position: UInt64
        let storedAt: ContinuousClock.Instant
        let expiresAt: ContinuousClock.Instant
    }

    private struct Generations {
        var current: [Key: Entry] = [:]
        var currentBytes = 0
        var previous: [Key: Entry] = [:]
    }

    public let maximumBytes: Int
    public let maximumEntryBytes: Int
    private let invalidation: any TagInvalidation
    /// The time entries are stored and expire by; injectable so that tests step it.
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private let state = Mutex(Generations())
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
        self.maximumBytes = maximumBytes
        self.maximumEntryBytes = min(maximumEntryBytes, maximumBytes / 4)
        self.now = now
        self.logger = logger
        hits = Counter(label: "response_cache_hits_total", factory: metricsFactory)
        misses = Counter(label: "response_cache_misses_total", factory: metricsFactory)
        stale = Counter(label: "response_cache_stale_total", factory: metricsFactory)
        errors = Counter(label: "response_cache_errors_total", factory: metricsFactory)
    }

    public func lookup(_ key: Key) async -> Lookup {
        let now = self.now()
        if let entry = entry(for: key, at: now) {
            do {
                if try await invalidation.isCurrent(entry.tags, since: entry.position) {
                    hits.increment()
                    return .hit(entry.body, age: now - entry.storedAt)
                }
                stale.increment()
                remove(key)
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

    /// Keeps an answer computed after reading `position`, unless one of its tags changed since
    /// or too recently, or it is too large.
    public func store(_ key: Key, body: ByteBuffer, tags: [String], maxAge: Duration, since position: UInt64) async {
        let maxAge = min(maxAge, invalidation.retention)
        let bytes = body.readableBytes + key.bytes
        guard maxAge > .zero, bytes <= maximumEntryBytes else { return }
        do {
            guard try await invalidation.mayStore(tags, since: position) else { return }
        } catch {
            failed(error)
            return
        }
        let now = self.now()
        let entry = Entry(body: body, bytes: bytes, tags: tags, position: position, storedAt: now, expiresAt: now + maxAge)
        let half = maximumBytes / 2
        state.withLock { state in
            if state.currentBytes + bytes > half {
                state.previous = state.current
                state.current = [:]
                state.currentBytes = 0
            }
            if let replaced = state.current.updateValue(entry, forKey: key) {
                state.currentBytes -= replaced.bytes
            }
            state.currentBytes += bytes
        }
    }

    /// Entries held (both generations).
    public var count: Int {
        state.withLock { $0.current.count + $0.previous.count }
    }

    private func entry(for key: Key, at now: ContinuousClock.Instant) -> Entry? {
        state.withLock { state in
            if let entry = state.current[key] {
                guard entry.expiresAt > now else {
                    state.current[key] = nil
                    state.currentBytes -= entry.bytes
                    return nil
                }
                return entry
            }
            guard let entry = state.previous.removeValue(forKey: key), entry.expiresAt > now else { return nil }
            // Promote: an entry still asked for survives the next generation change.
            if state.currentBytes + entry.bytes <= maximumBytes / 2 {
                state.current[key] = entry
                state.currentBytes += entry.bytes
            }
            return entry
        }
    }

    private func remove(_ key: Key) {
        state.withLock { state in
            if let entry = state.current.removeValue(forKey: key) { state.currentBytes -= entry.bytes }
            state.previous[key] = nil
        }
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
