import EmporiumTesting
import Foundation
import Logging
import ServiceLifecycle
import NIOCore
import Testing
@testable import Redis

/// Integration tests against a private `redis-server` per test.
/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct RedisClientTests {
    @Test
    func stringCommandsWithExpiryAndConditions() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            try await withRedisClient(server.configuration) { (redis: RedisClient) async throws -> Void in
                let p = uniquePrefix()
                #expect(try await redis.ping() == "PONG")
                #expect(try await redis.get(p + "missing") == nil)
                #expect(try await redis.set(p + "a", to: "1"))
                #expect(try await redis.get(p + "a") == ByteBuffer(string: "1"))
                #expect(try await redis.set(p + "a", to: "2", condition: .ifNotExists) == false)
                #expect(try await redis.set(p + "b", to: "2", condition: .ifExists) == false)
                #expect(try await redis.set(p + "a", to: "3", condition: .ifExists))
                #expect(try await redis.set(p + "ttl", to: "x", expiration: .seconds(60)))
                let pttl = try await redis.send(command: "PTTL", arguments: [RESPArgument(p + "ttl")]).int ?? -1
                #expect(pttl > 0 && pttl <= 60_000)
                #expect(try await redis.mget([p + "a", p + "missing"]) == [ByteBuffer(string: "3"), nil])
                #expect(try await redis.incr(p + "n") == 1)
                #expect(try await redis.incr(p + "n", by: 10) == 11)
                #expect(try await redis.expire(p + "n", after: .seconds(100)))
                #expect(try await redis.expire(p + "nothing", after: .seconds(100)) == false)
                #expect(try await redis.del([p + "a", p + "missing"]) == 1)
                #expect(try await redis.unlink([p + "n", p + "ttl"]) == 2)
                #expect(try await redis.get(p + "n") == nil)
                // Binary-safe values.
                let bytes: [UInt8] = [0, 13, 10, 255, 36, 42]
                try await redis.set(p + "bin", to: RESPArgument(bytes: bytes))
                #expect(try await redis.get(p + "bin").map { Array($0.readableBytesView) } == bytes)
            }
        }
    }

    @Test
    func hashesSortedSetsAndGenericCommands() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            try await withRedisClient(server.configuration) { (redis: RedisClient) async throws -> Void in
                let p = uniquePrefix()
                #expect(try await redis.hset(p + "h", fields: [("name", "Lamp"), ("price", 1999)]) == 2)
                #expect(try await redis.hget(p + "h", field: "name") == ByteBuffer(string: "Lamp"))
                #expect(try await redis.hgetall(p + "h") == ["name": ByteBuffer(string: "Lamp"), "price": ByteBuffer(string: "1999")])
                #expect(try await redis.hdel(p + "h", fields: ["price", "nope"]) == 1)
                #expect(try await redis.zadd(p + "z", members: [(1, "a"), (2, "b"), (3, "c")]) == 3)
                #expect(try await redis.zcard(p + "z") == 3)
                #expect(try await redis.zremrangebyscore(p + "z", minimum: -.infinity, maximum: 2) == 2)
                #expect(try await redis.zcard(p + "z") == 1)
                let range = try await redis.send(command: "ZRANGE", arguments: [RESPArgument(p + "z"), 0, -1])
                #expect(range.array?.compactMap(\.string) == ["c"])
                let error = await #expect(throws: RedisError.self) { try await redis.send(command: "LPUSH", arguments: [RESPArgument(p + "h"), "x"]) }
                #expect(error?.code == .server)
                #expect(error?.serverErrorPrefix == "WRONGTYPE")
                #expect(try await redis.publish("nobody", to: p + "channel") == 0)
            }
        }
    }

    @Test
    func pipelinesAndConcurrentCallersShareConnections() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            try await withRedisClient(server.configuration) { (redis: RedisClient) async throws -> Void in
                let p = uniquePrefix()
                let commands = (0..<1000).map { RESPCommand("SET", RESPArgument(p + "\($0)"), RESPArgument($0)) }
                let replies = try await redis.pipeline(commands)
                #expect(replies.count == 1000)
                #expect(replies.allSatisfy { $0.string == "OK" })
                let reads = try await redis.pipeline((0..<1000).map { RESPCommand("GET", RESPArgument(p + "\($0)")) } + [RESPCommand("INCR", RESPArgument(p + "0"))] + [RESPCommand("HGET", RESPArgument(p + "1"), "f")])
                #expect(reads.prefix(1000).compactMap(\.int) == Array(0..<1000))
                #expect(reads[1000] == .integer(1))
                #expect(reads[1001].errorMessage?.hasPrefix("WRONGTYPE") == true, "errors are values inside a pipeline")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<200 {
                        group.addTask { _ = try await redis.incr(p + "counter") }
                    }
                    try await group.waitForAll()
                }
                #expect(try await redis.get(p + "counter") == ByteBuffer(string: "200"))
                let large = String(repeating: "x", count: 1_000_000)
                try await redis.set(p + "large", to: RESPArgument(large))
                #expect(try await redis.get(p + "large")?.readableBytes == 1_000_000)
            }
        }
    }

    @Test
    func negotiatesResp3AndSpeaksResp2WhenAsked() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            let resp3 = try await RedisConnection.connect(configuration: server.configuration)
            #expect(resp3.protocolVersion == .resp3)
            #expect(resp3.serverVersion?.isEmpty == false)
            await resp3.close()
            var configuration = server.configuration
            configuration.protocolVersion = .resp2
            try await withRedisClient(configuration) { (redis: RedisClient) async throws -> Void in
                let p = uniquePrefix()
                #expect(try await redis.leaseConnection().protocolVersion == .resp2)
                _ = try await redis.hset(p + "h", fields: [("a", "1")])
                #expect(try await redis.hgetall(p + "h") == ["a": ByteBuffer(string: "1")])
                #expect(try await redis.get(p + "none") == nil)
            }
        }
    }

    @Test
    func authenticatesWithAnACLUserAndSelectsTheDatabase() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            let p = uniquePrefix()
            let admin = try await RedisConnection.connect(configuration: server.configuration)
            try await admin.send(RESPCommand("ACL", "SETUSER", "app", "on", ">app-secret", "~*", "+@all"))
            for version in [RedisConfiguration.ProtocolVersion.resp3, .resp2] {
                var configuration = server.configuration
                configuration.username = "app"
                configuration.password = "app-secret"
                configuration.database = 3
                configuration.protocolVersion = version
                configuration.clientName = "emporium-test"
                let connection = try await RedisConnection.connect(configuration: configuration)
                try await connection.send(RESPCommand("SET", RESPArgument(p + "k"), "in-db-3"))
                #expect(try await connection.send(RESPCommand("ACL", "WHOAMI")).string == "app")
                #expect(try await connection.send(RESPCommand("CLIENT", "GETNAME")).string == "emporium-test")
                await connection.close()
            }
            #expect(try await admin.send(RESPCommand("GET", RESPArgument(p + "k"))).isNull, "db 0 must not see db 3")
            try await admin.send(RESPCommand("SELECT", "3"))
            #expect(try await admin.send(RESPCommand("GET", RESPArgument(p + "k"))).string == "in-db-3")
            var wrong = server.configuration
            wrong.username = "app"
            wrong.password = "nope"
            let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(configuration: wrong) }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.description.contains("nope") == false)
            await admin.close()
        }
    }

    @Test
    func scriptsFallBackToEvalAfterNoscript() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            try await withRedisClient(server.configuration) { (redis: RedisClient) async throws -> Void in
                let p = uniquePrefix()
                let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
                #expect(try await redis.run(script, keys: [p + "k"], arguments: [5]) == .integer(5))
                #expect(try await redis.evalsha(script.sha1, keys: [p + "k"], arguments: [1]) == .integer(6), "EVAL cached the script")
                try await redis.send(command: "SCRIPT", arguments: ["FLUSH"])
                let error = await #expect(throws: RedisError.self) { try await redis.evalsha(script.sha1, keys: [p + "k"], arguments: [1]) }
                #expect(error?.code == .noScript)
                #expect(try await redis.run(script, keys: [p + "k"], arguments: [1]) == .integer(7))
                #expect(try await redis.scriptLoad(script) == script.sha1)
            }
        }
    }

    @Test
    func reconnectsAfterTheServerRestarts() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            try await withRedisClient(server.configuration) { (redis: RedisClient) async throws -> Void in
                let p = uniquePrefix()
                try await redis.set(p + "k", to: "before")
                try await server.restart(downtime: .milliseconds(300))
                // The data is gone (no persistence), but the client reconnects on its own.
                try await eventually("the client to reconnect on its own") {
                    (try? await redis.set(p + "k", to: "after")) == true
                }
                #expect(try await redis.get(p + "k") == ByteBuffer(string: "after"))
                // All pool connections come back, not just one.
                let clients = try await redis.send(command: "CLIENT", arguments: ["LIST"]).string ?? ""
                let expected = redis.configuration.connectionCount
                try await eventually("\(expected) connections in CLIENT LIST") {
                    (try await redis.send(command: "CLIENT", arguments: ["LIST"]).string ?? "").split(separator: "\n").count >= expected
                }
                _ = clients
            }
        }
    }

    @Test
    func failsFastWhileTheServerIsDown() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            try await withRedisClient(server.configuration) { (redis: RedisClient) async throws -> Void in
                try await redis.set(uniquePrefix() + "k", to: "v")
                await server.stop(removeDirectory: false)
                // Once the client has seen a connect attempt fail, requests fail at once.
                try await eventually("a request to fail at once with connectionUnavailable") {
                    let start = ContinuousClock.now
                    do {
                        _ = try await redis.ping()
                        return false
                    } catch let error as RedisError {
                        return error.code == .connectionUnavailable && ContinuousClock.now - start < .milliseconds(500)
                    }
                }
            }
        }
    }

    @Test
    func commandTimeoutFailsAndClosesTheConnection() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            var configuration = server.configuration
            configuration.commandTimeout = .milliseconds(200)
            try await withRedisClient(configuration) { (redis: RedisClient) async throws -> Void in
                let start = ContinuousClock.now
                let error = await #expect(throws: RedisError.self) {
                    try await redis.withDedicatedConnection { connection in
                        try await connection.send(RESPCommand("BLPOP", RESPArgument(uniquePrefix() + "empty"), "5"))
                    }
                }
                #expect(error?.code == .timeout)
                #expect(ContinuousClock.now - start < .seconds(3))
                #expect(try await redis.ping() == "PONG")
            }
        }
    }

    @Test
    func runReturnsWhenCancelledAndTheClientRefusesWorkAfterwards() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            let redis = RedisClient(configuration: server.configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await redis.run() }
                #expect(try await redis.ping() == "PONG")
                group.cancelAll()
                try await group.waitForAll()
            }
            let error = await #expect(throws: RedisError.self) { try await redis.ping() }
            #expect(error?.code == .clientShutDown)
        }
    }

    @Test
    func stopsOnGracefulShutdownOfItsServiceGroup() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            let redis = RedisClient(configuration: server.configuration)
            let group = ServiceGroup(services: [redis], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(try await redis.ping() == "PONG")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let error = await #expect(throws: RedisError.self) { try await redis.ping() }
            #expect(error?.code == .clientShutDown)
        }
    }
}
