import NIOCore
import Redis

/// A ``Cache`` in Redis, shared by every node. Keys are namespaced with `keyPrefix`.
///
/// Throws `RedisError` when Redis is unreachable (fast: the client does not queue while it is
/// reconnecting), so a caller can fall back to the source of truth at once.
public struct RedisCache: Cache {
    public let client: RedisClient
    public let keyPrefix: String

    public init(client: RedisClient, keyPrefix: String = "cache:") {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    public func get(_ key: String) async throws -> [UInt8]? {
        guard let buffer = try await self.client.get(self.keyPrefix + key) else { return nil }
        return Array(buffer.readableBytesView)
    }

    public func get(_ keys: [String]) async throws -> [[UInt8]?] {
        try await self.client.mget(keys.map { self.keyPrefix + $0 }).map { $0.map { Array($0.readableBytesView) } }
    }

    @discardableResult
    public func set(_ key: String, to value: [UInt8], ttl: Duration, condition: CacheWriteCondition) async throws -> Bool {
        guard ttl > .zero else {
            try await self.delete([key])
            return true
        }
        return try await self.client.set(
            self.keyPrefix + key,
            to: RESPArgument(bytes: value),
            expiration: ttl,
            condition: condition == .ifAbsent ? .ifNotExists : .always
        )
    }

    public func set(_ entries: [String: [UInt8]], ttl: Duration) async throws {
        guard !entries.isEmpty else { return }
        let commands = entries.map { key, value in
            RedisClient.setCommand(self.keyPrefix + key, RESPArgument(bytes: value), expiration: ttl)
        }
        let replies = try await self.client.pipeline(commands)
        if let failure = replies.first(where: { $0.errorMessage != nil }), let message = failure.errorMessage {
            throw RedisError(code: .server, details: message)
        }
    }

    public func delete(_ keys: [String]) async throws {
        try await self.client.unlink(keys.map { self.keyPrefix + $0 })
    }
}
