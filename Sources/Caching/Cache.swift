/// A key-value cache of bytes with per-entry time to live.
///
/// Adapters: ``InMemoryCache`` (one process) and ``RedisCache`` (shared by all nodes). Both pass
/// the same contract suite. Values are opaque bytes; ``ReadThroughCache`` adds Codable values,
/// single-flight loading, TTL jitter, negative caching and safe invalidation on top.
///
/// Errors: methods throw the backend's error (a `RedisError` for ``RedisCache``; the in-memory
/// cache never throws). A cache is an optimisation, so callers should treat any error as a miss
/// and go to the source of truth — ``ReadThroughCache`` does exactly that.
public protocol Cache: Sendable {
    /// The value stored under `key`, or `nil` if absent or expired.
    func get(_ key: String) async throws -> [UInt8]?

    /// The values of several keys at once, in the order of `keys`.
    func get(_ keys: [String]) async throws -> [[UInt8]?]

    /// Stores `value` for `ttl`. Returns `false` when `condition` prevented the write.
    @discardableResult
    func set(_ key: String, to value: [UInt8], ttl: Duration, condition: CacheWriteCondition) async throws -> Bool

    /// Stores several entries with one TTL (unconditionally).
    func set(_ entries: [String: [UInt8]], ttl: Duration) async throws

    /// Removes the keys; absent keys are ignored.
    func delete(_ keys: [String]) async throws
}

/// When a cache write happens.
public enum CacheWriteCondition: Sendable, Hashable {
    case always
    /// Only when the key holds no (unexpired) value: a read-through fill uses it so that it can
    /// never overwrite a newer write or an invalidation marker.
    case ifAbsent
}

extension Cache {
    @discardableResult
    public func set(_ key: String, to value: [UInt8], ttl: Duration) async throws -> Bool {
        try await self.set(key, to: value, ttl: ttl, condition: .always)
    }

    public func delete(_ key: String) async throws {
        try await self.delete([key])
    }

    public func get(_ keys: [String]) async throws -> [[UInt8]?] {
        var values: [[UInt8]?] = []
        values.reserveCapacity(keys.count)
        for key in keys { values.append(try await self.get(key)) }
        return values
    }

    public func set(_ entries: [String: [UInt8]], ttl: Duration) async throws {
        for (key, value) in entries { try await self.set(key, to: value, ttl: ttl, condition: .always) }
    }
}
