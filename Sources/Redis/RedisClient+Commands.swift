public import NIOCore

/// When SET writes.
public enum RedisSetCondition: Sendable {
    case always
    /// NX: only when the key does not exist.
    case ifNotExists
    /// XX: only when the key exists.
    case ifExists
}

/// The typed commands Emporium uses; anything else goes through `send(command:arguments:)`.
extension RedisClient {
    public func ping() async throws -> String {
        let reply = try await self.send(RESPCommand("PING"))
        guard let text = reply.string else { throw RedisError.unexpected(reply, for: "PING") }
        return text
    }

    public func get(_ key: String) async throws -> ByteBuffer? {
        let reply = try await self.send(RESPCommand("GET", RESPArgument(key)))
        if reply.isNull { return nil }
        guard let buffer = reply.buffer else { throw RedisError.unexpected(reply, for: "GET") }
        return buffer
    }

    /// SET with an optional expiry (sent as PX, millisecond precision) and condition.
    /// Returns whether the value was written (`false` when NX/XX prevented it).
    @discardableResult
    public func set(_ key: String, to value: RESPArgument, expiration: Duration? = nil, condition: RedisSetCondition = .always) async throws -> Bool {
        let reply = try await self.send(Self.setCommand(key, value, expiration: expiration, condition: condition))
        return !reply.isNull
    }

    public static func setCommand(_ key: String, _ value: RESPArgument, expiration: Duration? = nil, condition: RedisSetCondition = .always) -> RESPCommand {
        var arguments: [RESPArgument] = [RESPArgument(key), value]
        if let expiration {
            arguments += ["PX", RESPArgument(max(1, expiration.milliseconds))]
        }
        switch condition {
        case .always: break
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        }
        return RESPCommand("SET", arguments)
    }

    public func mget(_ keys: [String]) async throws -> [ByteBuffer?] {
        guard !keys.isEmpty else { return [] }
        let reply = try await self.send(RESPCommand("MGET", keys.map { RESPArgument($0) }))
        guard let elements = reply.array else { throw RedisError.unexpected(reply, for: "MGET") }
        return elements.map(\.buffer)
    }

    /// Returns the number of keys removed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await self.integer(RESPCommand("DEL", keys.map { RESPArgument($0) }))
    }

    /// Like DEL, but the server frees memory in the background.
    @discardableResult
    public func unlink(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await self.integer(RESPCommand("UNLINK", keys.map { RESPArgument($0) }))
    }

    /// Sets a timeout (PEXPIRE, millisecond precision); returns whether the key exists.
    @discardableResult
    public func expire(_ key: String, after duration: Duration) async throws -> Bool {
        try await self.integer(RESPCommand("PEXPIRE", RESPArgument(key), RESPArgument(duration.milliseconds))) == 1
    }

    @discardableResult
    public func incr(_ key: String, by amount: Int = 1) async throws -> Int {
        if amount == 1 { return try await self.integer(RESPCommand("INCR", RESPArgument(key))) }
        return try await self.integer(RESPCommand("INCRBY", RESPArgument(key), RESPArgument(amount)))
    }

    // MARK: Hashes

    /// Returns the number of fields added (not updated).
    @discardableResult
    public func hset(_ key: String, fields: [(String, RESPArgument)]) async throws -> Int {
        var arguments: [RESPArgument] = [RESPArgument(key)]
        for (field, value) in fields { arguments += [RESPArgument(field), value] }
        return try await self.integer(RESPCommand("HSET", arguments))
    }

    public func hget(_ key: String, field: String) async throws -> ByteBuffer? {
        let reply = try await self.send(RESPCommand("HGET", RESPArgument(key), RESPArgument(field)))
        return reply.isNull ? nil : reply.buffer
    }

    public func hgetall(_ key: String) async throws -> [String: ByteBuffer] {
        let reply = try await self.send(RESPCommand("HGETALL", RESPArgument(key)))
        var result: [String: ByteBuffer] = [:]
        switch reply {
        case .map(let map):
            for (field, value) in map {
                if let name = field.string, let buffer = value.buffer { result[name] = buffer }
            }
        case .array(let elements):
            var index = 0
            while index + 1 < elements.count {
                if let name = elements[index].string, let buffer = elements[index + 1].buffer { result[name] = buffer }
                index += 2
            }
        default:
            throw RedisError.unexpected(reply, for: "HGETALL")
        }
        return result
    }

    @discardableResult
    public func hdel(_ key: String, fields: [String]) async throws -> Int {
        try await self.integer(RESPCommand("HDEL", [RESPArgument(key)] + fields.map { RESPArgument($0) }))
    }

    // MARK: Sorted sets

    /// Returns the number of members added.
    @discardableResult
    public func zadd(_ key: String, members: [(score: Double, member: RESPArgument)]) async throws -> Int {
        var arguments: [RESPArgument] = [RESPArgument(key)]
        for (score, member) in members { arguments += [RESPArgument(score), member] }
        return try await self.integer(RESPCommand("ZADD", arguments))
    }

    /// Removes members with `minimum <= score <= maximum`; returns how many.
    @discardableResult
    public func zremrangebyscore(_ key: String, minimum: Double, maximum: Double) async throws -> Int {
        try await self.integer(RESPCommand("ZREMRANGEBYSCORE", RESPArgument(key), RESPArgument(minimum), RESPArgument(maximum)))
    }

    public func zcard(_ key: String) async throws -> Int {
        try await self.integer(RESPCommand("ZCARD", RESPArgument(key)))
    }

    // MARK: Pub/sub

    /// Returns the number of subscribers that received the message.
    @discardableResult
    public func publish(_ message: RESPArgument, to channel: String) async throws -> Int {
        try await self.integer(RESPCommand("PUBLISH", RESPArgument(channel), message))
    }

    // MARK: Helpers

    func integer(_ command: RESPCommand) async throws -> Int {
        let reply = try await self.send(command)
        guard let value = reply.int else { throw RedisError.unexpected(reply, for: command.name) }
        return value
    }
}

extension RedisError {
    static func unexpected(_ reply: RESPValue, for command: String) -> RedisError {
        RedisError(code: .unexpectedReply, details: "\(command) answered \(reply)")
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a positive duration never becomes 0.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return seconds * 1000 + fraction
    }
}
