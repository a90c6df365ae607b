import Synchronization

/// A thread-safe cache bounded in entries and in bytes: the one cache shape Emporium's
/// in-process caches (documents, plans) are built on.
///
/// Keys often come from clients (a query text can be a megabyte), so a bound on the number of
/// entries alone is not a bound on memory: every entry states what it costs, and the total is
/// held under `maximumBytes`. Two generations: lookups promote from the old one to the new one;
/// when the new one reaches half of either bound, it becomes the old one and the old one is
/// dropped. Every operation is O(1) (no recency list to maintain on hits), and the effect is
/// close to LRU. An entry costing more than half the byte budget is not kept at all.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public struct Statistics: Sendable, Equatable {
        public var hits = 0
        public var misses = 0
        public var entries = 0
        public var bytes = 0
    }

    private struct Entry {
        let value: Value
        let bytes: Int
    }

    private struct Generation {
        var entries: [Key: Entry] = [:]
        var bytes = 0

        mutating func insert(_ entry: Entry, for key: Key) {
            if let old = entries.updateValue(entry, forKey: key) { bytes -= old.bytes }
            bytes += entry.bytes
        }

        mutating func remove(_ key: Key) -> Entry? {
            guard let entry = entries.removeValue(forKey: key) else { return nil }
            bytes -= entry.bytes
            return entry
        }
    }

    private struct State {
        var current = Generation()
        var previous = Generation()
        var hits = 0
        var misses = 0
    }

    public let maximumEntries: Int
    public let maximumBytes: Int
    private let state = Mutex(State())

    public init(maximumEntries: Int, maximumBytes: Int) {
        self.maximumEntries = max(2, maximumEntries)
        self.maximumBytes = max(2, maximumBytes)
    }

    public func value(for key: Key) -> Value? {
        state.withLock { state in
            if let entry = state.current.entries[key] {
                state.hits += 1
                return entry.value
            }
            guard let entry = state.previous.remove(key) else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            insert(entry, for: key, into: &state)
            return entry.value
        }
    }

    /// Stores `value`; `bytes` is what it costs, key included. Too large an entry is not kept.
    public func store(_ value: Value, for key: Key, bytes: Int) {
        let cost = max(1, bytes)
        guard cost <= maximumBytes / 2 else { return }
        state.withLock { state in
            _ = state.previous.remove(key)
            insert(Entry(value: value, bytes: cost), for: key, into: &state)
        }
    }

    public func removeValue(for key: Key) {
        state.withLock { state in
            _ = state.current.remove(key)
            _ = state.previous.remove(key)
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

    private func insert(_ entry: Entry, for key: Key, into state: inout State) {
        let full = state.current.entries.count >= maximumEntries / 2 || state.current.bytes + entry.bytes > maximumBytes / 2
        if full, state.current.entries[key] == nil {
            state.previous = state.current
            state.current = Generation()
        }
        state.current.insert(entry, for: key)
    }
}
