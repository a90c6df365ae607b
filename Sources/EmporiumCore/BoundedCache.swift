public import Synchronization

/// A thread-safe cache bounded in entries and in bytes: the one cache shape Emporium's
/// in-process caches (documents, plans) are built on.
///
/// Keys often come from clients (a query text can be a megabyte), so a bound on the number of
/// entries alone is not a bound on memory: every entry states what it costs, and the total is
/// held under `maximumBytes`. Two generations: lookups promote from the old one to the new one;
/// when the new one reaches half of either bound, it becomes the old one and the old one is
/// dropped. Every operation is O(1) (no recency list to maintain on hits), and the effect is
/// close to LRU. An entry costing more than half the byte budget is not kept at all.
///
/// The operations are `@inlinable` so that each user's `BoundedCache<Key, Value>` is specialised in
/// its own module: unspecialised generic code (hashing and copying through witness tables) made
/// the response cache's hits slower than the hand-written cache it replaced (docs/BENCHMARKS.md).
///
/// What counts as *current* (an expiry, a version) belongs to the value: the `where` and `unless`
/// variants take a predicate on the held value and are evaluated under the same lock as the read or
/// write, so a caller with expiring values needs no lock of its own.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public struct Statistics: Sendable, Equatable {
        public var hits = 0
        public var misses = 0
        public var entries = 0
        public var bytes = 0
    }

    @usableFromInline
    struct Entry {
        @usableFromInline let value: Value
        @usableFromInline let bytes: Int

        @inlinable
        init(value: Value, bytes: Int) {
            self.value = value
            self.bytes = bytes
        }
    }

    @usableFromInline
    struct Generation {
        @usableFromInline var entries: [Key: Entry] = [:]
        @usableFromInline var bytes = 0

        @inlinable
        init() {}

        @inlinable
        mutating func insert(_ entry: Entry, for key: Key) {
            if let old = entries.updateValue(entry, forKey: key) { bytes -= old.bytes }
            bytes += entry.bytes
        }

        @inlinable
        mutating func remove(_ key: Key) -> Entry? {
            guard let entry = entries.removeValue(forKey: key) else { return nil }
            bytes -= entry.bytes
            return entry
        }
    }

    @usableFromInline
    struct State {
        @usableFromInline var current = Generation()
        @usableFromInline var previous = Generation()
        @usableFromInline var hits = 0
        @usableFromInline var misses = 0

        @inlinable
        init() {}
    }

    public let maximumEntries: Int
    public let maximumBytes: Int
    @usableFromInline let state = Mutex(State())

    public init(maximumEntries: Int, maximumBytes: Int) {
        self.maximumEntries = max(2, maximumEntries)
        self.maximumBytes = max(2, maximumBytes)
    }

    @inlinable
    public func value(for key: Key) -> Value? {
        value(for: key) { _ in true }
    }

    /// The value for `key` if `isCurrent` accepts it. A value it rejects (expired, stale) is
    /// removed and the lookup counts as a miss.
    @inlinable
    public func value(for key: Key, where isCurrent: (Value) -> Bool) -> Value? {
        state.withLock { state in
            if let entry = state.current.entries[key] {
                guard isCurrent(entry.value) else {
                    _ = state.current.remove(key)
                    state.misses += 1
                    return nil
                }
                state.hits += 1
                return entry.value
            }
            guard let entry = state.previous.remove(key), isCurrent(entry.value) else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            insert(entry, for: key, into: &state)
            return entry.value
        }
    }

    /// Stores `value`; `bytes` is what it costs, key included. Too large an entry is not kept,
    /// but it still replaces the value held: a later read must not see the older one.
    @inlinable
    public func store(_ value: Value, for key: Key, bytes: Int) {
        store(value, for: key, bytes: bytes) { _ in false }
    }

    /// Stores `value` unless `key` holds a value that `keepsExisting` accepts (one that has not
    /// expired, say), checked and written under one lock: of two writers racing to fill a key,
    /// one wins. Returns `false` when the held value was kept. A value too large to keep
    /// removes the held one, as ``store(_:for:bytes:)`` does.
    @discardableResult
    @inlinable
    public func store(_ value: Value, for key: Key, bytes: Int, unless keepsExisting: (Value) -> Bool) -> Bool {
        let cost = max(1, bytes)
        return state.withLock { state in
            if let held = state.current.entries[key] ?? state.previous.entries[key], keepsExisting(held.value) { return false }
            _ = state.previous.remove(key)
            guard cost <= maximumBytes / 2 else {
                _ = state.current.remove(key)
                return true
            }
            insert(Entry(value: value, bytes: cost), for: key, into: &state)
            return true
        }
    }

    @inlinable
    public func removeValue(for key: Key) {
        removeValue(for: key) { _ in false }
    }

    /// Removes the value for `key` unless `keepsExisting` accepts it, under one lock. Returns
    /// `false` when the held value was kept.
    @discardableResult
    @inlinable
    public func removeValue(for key: Key, unless keepsExisting: (Value) -> Bool) -> Bool {
        state.withLock { state in
            if let held = state.current.entries[key] ?? state.previous.entries[key], keepsExisting(held.value) { return false }
            _ = state.current.remove(key)
            _ = state.previous.remove(key)
            return true
        }
    }

    public func removeAll() {
        state.withLock { state in
            state.current = Generation()
            state.previous = Generation()
        }
    }

    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                hits: state.hits, misses: state.misses, entries: state.current.entries.count + state.previous.entries.count,
                bytes: state.current.bytes + state.previous.bytes)
        }
    }

    @inlinable
    func insert(_ entry: Entry, for key: Key, into state: inout State) {
        let full = state.current.entries.count >= maximumEntries / 2 || state.current.bytes + entry.bytes > maximumBytes / 2
        if full, state.current.entries[key] == nil {
            state.previous = state.current
            state.current = Generation()
        }
        state.current.insert(entry, for: key)
    }
}
