import Synchronization

/// A bounded in-process LRU cache with per-entry TTL and a byte budget.
///
/// Bounded twice: by entry count and by bytes (key + value + a fixed per-entry overhead), evicting
/// the least recently used entries first. Expired entries are dropped when touched or evicted.
/// The clock is injected so tests can move time.
public final class InMemoryCache<C: Clock>: Cache where C.Duration == Duration {
    /// Bytes counted per entry on top of key and value: dictionary slot and bookkeeping.
    public static var entryOverhead: Int { 64 }

    private struct Entry {
        var value: [UInt8]
        var expiresAt: C.Instant
        var previous: String?
        var next: String?
        var cost: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Most recently used.
        var head: String?
        /// Least recently used.
        var tail: String?
        var totalBytes = 0

        mutating func unlink(_ key: String) {
            guard let entry = self.entries[key] else { return }
            if let previous = entry.previous { self.entries[previous]?.next = entry.next } else { self.head = entry.next }
            if let next = entry.next { self.entries[next]?.previous = entry.previous } else { self.tail = entry.previous }
            self.entries[key]?.previous = nil
            self.entries[key]?.next = nil
        }

        mutating func pushFront(_ key: String) {
            self.entries[key]?.next = self.head
            self.entries[key]?.previous = nil
            if let head = self.head { self.entries[head]?.previous = key }
            self.head = key
            if self.tail == nil { self.tail = key }
        }

        mutating func remove(_ key: String) {
            guard let entry = self.entries[key] else { return }
            self.unlink(key)
            self.entries[key] = nil
            self.totalBytes -= entry.cost
        }
    }

    public let maximumEntries: Int
    public let maximumBytes: Int
    private let clock: C
    private let state = Mutex(State())

    public init(maximumEntries: Int = 100_000, maximumBytes: Int = 64 * 1024 * 1024, clock: C) {
        precondition(maximumEntries > 0 && maximumBytes > 0)
        self.maximumEntries = maximumEntries
        self.maximumBytes = maximumBytes
        self.clock = clock
    }

    /// Entries currently held, expired ones not yet dropped included.
    public var count: Int { self.state.withLock { $0.entries.count } }
    /// Bytes currently charged against `maximumBytes`.
    public var totalBytes: Int { self.state.withLock { $0.totalBytes } }

    public func get(_ key: String) async throws -> [UInt8]? {
        let now = self.clock.now
        return self.state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard now < entry.expiresAt else {
                state.remove(key)
                return nil
            }
            state.unlink(key)
            state.pushFront(key)
            return entry.value
        }
    }

    @discardableResult
    public func set(_ key: String, to value: [UInt8], ttl: Duration, condition: CacheWriteCondition) async throws -> Bool {
        let now = self.clock.now
        let cost = key.utf8.count + value.count + Self.entryOverhead
        return self.state.withLock { state in
            if let existing = state.entries[key] {
                if condition == .ifAbsent && now < existing.expiresAt { return false }
                state.remove(key)
            }
            guard ttl > .zero, cost <= self.maximumBytes else { return true }
            state.entries[key] = Entry(value: value, expiresAt: now.advanced(by: ttl), previous: nil, next: nil, cost: cost)
            state.totalBytes += cost
            state.pushFront(key)
            while state.totalBytes > self.maximumBytes || state.entries.count > self.maximumEntries, let tail = state.tail {
                state.remove(tail)
            }
            return true
        }
    }

    public func delete(_ keys: [String]) async throws {
        self.state.withLock { state in
            for key in keys { state.remove(key) }
        }
    }
}

extension InMemoryCache where C == ContinuousClock {
    public convenience init(maximumEntries: Int = 100_000, maximumBytes: Int = 64 * 1024 * 1024) {
        self.init(maximumEntries: maximumEntries, maximumBytes: maximumBytes, clock: ContinuousClock())
    }
}
