#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import EmporiumCore
import Logging
import Metrics

/// How a ``ReadThroughCache`` keeps entries.
public struct CachePolicy: Sendable {
    /// Lifetime of a cached value.
    public var ttl: Duration
    /// Spread of the TTL as a fraction (0.1: each entry lives 90–110 % of `ttl`), so entries
    /// filled together do not expire together and stampede the database.
    public var jitter: Double
    /// Lifetime of a cached "not found" (negative caching); `nil` does not cache absence.
    public var negativeTTL: Duration?
    /// How long an invalidation blocks re-filling a key. A fill only writes if the key is absent,
    /// so a load that read the old row before the mutation committed cannot put it back. Must
    /// exceed the slowest load; `.zero` deletes the keys instead (no such protection).
    public var invalidationHold: Duration

    public init(ttl: Duration = .seconds(300), jitter: Double = 0.1, negativeTTL: Duration? = .seconds(30), invalidationHold: Duration = .seconds(5)) {
        precondition(jitter >= 0 && jitter < 1)
        self.ttl = ttl
        self.jitter = jitter
        self.negativeTTL = negativeTTL
        self.invalidationHold = invalidationHold
    }

    func jittered(_ duration: Duration) -> Duration {
        guard self.jitter > 0 else { return duration }
        return duration * (1 + Double.random(in: -self.jitter...self.jitter))
    }
}

/// Read-through caching of Codable values over any ``Cache``: the way services use a cache.
///
/// - A miss loads through `loader` once per key and node at a time (``SingleFlight``).
/// - Cache failures never fail a read: the value is loaded from the source and the error counted
///   (`cache_errors_total`) and logged. Hits and misses are counted as `cache_hits_total` and
///   `cache_misses_total`, all with a `cache` dimension.
/// - ``invalidate(_:)`` leaves a short-lived marker that fills cannot overwrite, closing the race
///   in which a slow load puts back the value a mutation just replaced.
public final class ReadThroughCache<Value: Codable & Sendable>: Sendable {
    public let name: String
    public let cache: any Cache
    public let policy: CachePolicy
    private let logger: Logger
    let flights = SingleFlight<String, Value?>()
    /// Values already decoded, by the exact bytes they were decoded from: a hot key's entry is
    /// decoded once per process, not on every hit (JSON decoding of a product was a tenth of a
    /// cached read's CPU). Keyed by content, so it can never serve a value the shared cache no
    /// longer holds: changed bytes are a different key.
    private let decoded = BoundedCache<StoredBytes, Value>(maximumEntries: 10_000, maximumBytes: 32 << 20)
    private let hits: Counter
    private let misses: Counter
    private let errors: Counter

    private enum Tag: UInt8 {
        case absent = 0
        case value = 1
        case invalidated = 2
    }

    /// - Parameter metricsFactory: where the counters go; the bootstrapped backend by default.
    public init(
        name: String,
        cache: any Cache,
        policy: CachePolicy = CachePolicy(),
        logger: Logger = Logger(label: "cache"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.name = name
        self.cache = cache
        self.policy = policy
        self.logger = logger
        self.hits = Counter(label: "cache_hits_total", dimensions: [("cache", name)], factory: metricsFactory)
        self.misses = Counter(label: "cache_misses_total", dimensions: [("cache", name)], factory: metricsFactory)
        self.errors = Counter(label: "cache_errors_total", dimensions: [("cache", name)], factory: metricsFactory)
    }

    /// The cached value for `key`, else the loaded one (cached for next time). `nil` means the
    /// loader found nothing, which is cached for `policy.negativeTTL`.
    /// Throws only what `loader` throws.
    public func value(forKey key: String, loader: @Sendable () async throws -> Value?) async throws -> Value? {
        let stored: [UInt8]?
        do {
            stored = try await self.cache.get(key)
        } catch {
            self.recordError(error, operation: "get", key: key)
            return try await self.flights.run(key: key) { try await loader() }
        }
        var mayFill = true
        if let stored, let tag = stored.first.flatMap(Tag.init(rawValue:)) {
            switch tag {
            case .value:
                if let value = decoded.value(for: StoredBytes(stored)) {
                    self.hits.increment()
                    return value
                }
                do {
                    let value = try JSONDecoder().decode(Value.self, from: Data(stored.dropFirst()))
                    decoded.store(value, for: StoredBytes(stored), bytes: stored.count * 2)
                    self.hits.increment()
                    return value
                } catch {
                    // An entry from an older version of `Value`: treat as a miss and replace it.
                    self.logger.debug("undecodable cache entry", metadata: ["cache.name": "\(self.name)", "cache.key": "\(key)"])
                    try? await self.cache.delete([key])
                }
            case .absent:
                self.hits.increment()
                return nil
            case .invalidated:
                mayFill = false
            }
        }
        self.misses.increment()
        return try await self.flights.run(key: key) {
            let value = try await loader()
            if mayFill { await self.fill(key, with: value) }
            return value
        }
    }

    /// Writes a freshly loaded value unless the key was written or invalidated meanwhile.
    private func fill(_ key: String, with value: Value?) async {
        let bytes: [UInt8]
        let ttl: Duration
        if let value {
            do {
                let encoded = try JSONEncoder().encode(value)
                bytes = [Tag.value.rawValue] + Array(encoded)
            } catch {
                self.logger.error("cannot encode cache value", metadata: ["cache.name": "\(self.name)", "error": "\(error)"])
                return
            }
            ttl = self.policy.jittered(self.policy.ttl)
        } else {
            guard let negativeTTL = self.policy.negativeTTL else { return }
            bytes = [Tag.absent.rawValue]
            ttl = self.policy.jittered(negativeTTL)
        }
        do {
            try await self.cache.set(key, to: bytes, ttl: ttl, condition: .ifAbsent)
        } catch {
            self.recordError(error, operation: "set", key: key)
        }
    }

    /// Drops the keys on every node that shares the cache. Call after the mutation committed.
    /// Throws the cache's error: the entries then live until their TTL expires.
    public func invalidate(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        do {
            if self.policy.invalidationHold > .zero {
                let marker = [Tag.invalidated.rawValue]
                try await self.cache.set(Dictionary(keys.map { ($0, marker) }, uniquingKeysWith: { first, _ in first }), ttl: self.policy.invalidationHold)
            } else {
                try await self.cache.delete(keys)
            }
        } catch {
            self.recordError(error, operation: "invalidate", key: keys.joined(separator: ","))
            throw error
        }
    }

    private func recordError(_ error: any Error, operation: String, key: String) {
        self.errors.increment()
        self.logger.warning(operation == "invalidate" ? "cache invalidation failed" : "cache unavailable, using the source", metadata: [
            "cache.name": "\(self.name)", "cache.operation": "\(operation)", "cache.key": "\(key)", "error": "\(error)",
        ])
    }
}

/// An entry's bytes as a dictionary key, hashed as one block (an array of `UInt8` hashes element
/// by element, several times slower for a kilobyte).
struct StoredBytes: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
