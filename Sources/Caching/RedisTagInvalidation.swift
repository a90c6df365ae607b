import NIOCore
import Redis

/// ``TagInvalidation`` in Redis, shared by every process of the distributed topology: the
/// services invalidate after their commits, each gateway checks its cached answers against it.
///
/// Keys (under `keyPrefix`): `position` (a counter), `tag:<tag>` (the position of the tag's last
/// change, expiring after `retention`) and `recent:<tag>` (present for `hold` after a change).
public struct RedisTagInvalidation: TagInvalidation {
    public let client: RedisClient
    public let keyPrefix: String
    public let retention: Duration
    public let hold: Duration

    /// Moves the position and stamps every tag with it, atomically. KEYS: the position, then
    /// ARGV[3] tag keys, then as many recent keys; ARGV: retention and hold in milliseconds.
    static let invalidateScript = RedisScript("""
        local position = redis.call('INCR', KEYS[1])
        local count = tonumber(ARGV[3])
        for i = 2, count + 1 do
            redis.call('SET', KEYS[i], position, 'PX', ARGV[1])
            redis.call('SET', KEYS[i + count], 1, 'PX', ARGV[2])
        end
        return position
        """)

    public init(client: RedisClient, keyPrefix: String = "emporium:tags:", retention: Duration = .seconds(600), hold: Duration = .seconds(1)) {
        precondition(retention > hold, "retention must exceed hold")
        self.client = client
        self.keyPrefix = keyPrefix
        self.retention = retention
        self.hold = hold
    }

    private var positionKey: String { keyPrefix + "position" }
    private func tagKey(_ tag: String) -> String { keyPrefix + "tag:" + tag }
    private func recentKey(_ tag: String) -> String { keyPrefix + "recent:" + tag }

    public func position() async throws -> UInt64 {
        guard let buffer = try await client.get(positionKey) else { return 0 }
        return try Self.position(buffer)
    }

    public func isCurrent(_ tags: [String], since position: UInt64) async throws -> Bool {
        guard !tags.isEmpty else { return true }
        let values = try await client.mget(tags.map(tagKey))
        return try values.allSatisfy { try ($0.map(Self.position) ?? 0) <= position }
    }

    public func mayStore(_ tags: [String], since position: UInt64) async throws -> Bool {
        guard !tags.isEmpty else { return true }
        let values = try await client.mget(tags.map(tagKey) + tags.map(recentKey))
        let changed = values[..<tags.count]
        let recent = values[tags.count...]
        return try recent.allSatisfy { $0 == nil } && changed.allSatisfy { try ($0.map(Self.position) ?? 0) <= position }
    }

    public func invalidate(_ tags: [String]) async throws {
        guard !tags.isEmpty else { return }
        try await client.run(Self.invalidateScript, keys: [positionKey] + tags.map(tagKey) + tags.map(recentKey), arguments: [
            RESPArgument(Self.milliseconds(retention)), RESPArgument(Self.milliseconds(hold)), RESPArgument(tags.count),
        ])
    }

    static func position(_ buffer: ByteBuffer) throws -> UInt64 {
        guard let value = UInt64(String(buffer: buffer)) else {
            throw RedisError(code: .protocolViolation, details: "a tag position is not a number: \(String(buffer: buffer).prefix(40))")
        }
        return value
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        max(1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
