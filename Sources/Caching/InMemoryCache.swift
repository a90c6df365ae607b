import EmporiumCore

/// A bounded in-process cache with per-entry TTL, on ``BoundedCache``.
///
/// Bounded twice: by entry count and by bytes (key + value + a fixed per-entry overhead). Two
/// generations instead of a recency list: every operation is O(1) and takes one lock; an entry
/// read or written since the last generation change survives the next one, anything else may
/// be dropped (close to LRU, not exactly LRU). An entry costing more than half the byte budget is
/// not kept. Expired entries are dropped when read, or with their generation. The clock is
/// injected so tests can move time.
public final class InMemoryCache<C: Clock>: Cache where C.Duration == Duration {
    /// Bytes counted per entry on top of key and value: dictionary slot and bookkeeping.
    public static var entryOverhead: Int { 64 }

    private struct Entry: Sendable {
        let value: [UInt8]
        let expiresAt: C.Instant
    }

    private let storage: BoundedCache<String, Entry>
    private let clock: C

    public var maximumEntries: Int { storage.maximumEntries }
    public var maximumBytes: Int { storage.maximumBytes }

    public init(maximumEntries: Int = 100_000, maximumBytes: Int = 64 * 1024 * 1024, clock: C) {
        precondition(maximumEntries > 0 && maximumBytes > 0)
        storage = BoundedCache(maximumEntries: maximumEntries, maximumBytes: maximumBytes)
        self.clock = clock
    }

    /// Entries currently held, expired ones not yet dropped included.
    public var count: Int { storage.statistics.entries }
    /// Bytes currently charged against `maximumBytes`.
    public var totalBytes: Int { storage.statistics.bytes }

    public func get(_ key: String) async throws -> [UInt8]? {
        let now = clock.now
        return storage.value(for: key) { now < $0.expiresAt }?.value
    }

    @discardableResult
    public func set(_ key: String, to value: [UInt8], ttl: Duration, condition: CacheWriteCondition) async throws -> Bool {
        let now = clock.now
        let keepsExisting: (Entry) -> Bool = condition == .ifAbsent ? { now < $0.expiresAt } : { _ in false }
        guard ttl > .zero else { return storage.removeValue(for: key, unless: keepsExisting) }
        let cost = key.utf8.count + value.count + Self.entryOverhead
        return storage.store(Entry(value: value, expiresAt: now.advanced(by: ttl)), for: key, bytes: cost, unless: keepsExisting)
    }

    public func delete(_ keys: [String]) async throws {
        for key in keys { storage.removeValue(for: key) }
    }
}

extension InMemoryCache where C == ContinuousClock {
    public convenience init(maximumEntries: Int = 100_000, maximumBytes: Int = 64 * 1024 * 1024) {
        self.init(maximumEntries: maximumEntries, maximumBytes: maximumBytes, clock: ContinuousClock())
    }
}
