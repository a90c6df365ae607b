import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import Redis

/// The channel handler over an `EmbeddedChannel`: bytes in, bytes out, promises completed.
struct RedisChannelHandlerTests {
    typealias Machine = RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>

    @Test
    func handshakeThenPipelinedCommandsThenPush() throws {
        let channel = EmbeddedChannel()
        let handshake = channel.eventLoop.makePromise(of: Machine.HandshakeResult.self)
        let pushes = PushCollector()
        let handler = RedisChannelHandler(
            settings: .init(protocolVersion: .resp3, username: nil, password: nil, database: 0, clientName: nil),
            isSubscriber: false, handshakePromise: handshake, onPush: { pushes.append($0) }
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 6379)).wait()

        let hello = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: hello) == "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n")
        try channel.writeInbound(ByteBuffer(string: "%1\r\n$7\r\nversion\r\n$5\r\n7.0.0\r\n"))
        #expect(try handshake.futureResult.wait().serverVersion == "7.0.0")

        let first = channel.eventLoop.makePromise(of: [RESPValue].self)
        let second = channel.eventLoop.makePromise(of: [RESPValue].self)
        var encoded = ByteBuffer()
        RESPCommand("GET", "a").write(to: &encoded)
        channel.writeAndFlush(RedisRequest(encoded: encoded, expectedReplies: 1, promise: first, deadline: nil), promise: nil)
        channel.writeAndFlush(RedisRequest(encoded: encoded, expectedReplies: 2, promise: second, deadline: nil), promise: nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == encoded)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == encoded)

        // Replies arrive split across reads, with a push in between.
        try channel.writeInbound(ByteBuffer(string: "$1\r\nx\r\n>2\r\n+message\r"))
        try channel.writeInbound(ByteBuffer(string: "\n+hi\r\n_\r\n:5"))
        try channel.writeInbound(ByteBuffer(string: "\r\n"))
        #expect(try first.futureResult.wait() == [.bulkString(ByteBuffer(string: "x"))])
        #expect(try second.futureResult.wait() == [.null, .integer(5)])
        #expect(pushes.values.count == 1)
        #expect(try channel.finish().isClean)
    }

    @Test
    func closingFailsInFlightRequests() throws {
        let channel = EmbeddedChannel()
        let handshake = channel.eventLoop.makePromise(of: Machine.HandshakeResult.self)
        try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(
            settings: .init(protocolVersion: .resp2, username: nil, password: nil, database: 0, clientName: nil),
            isSubscriber: false, handshakePromise: handshake, onPush: nil
        ))
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 6379)).wait()
        _ = try handshake.futureResult.wait()
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        channel.writeAndFlush(RedisRequest(encoded: ByteBuffer(string: "PING\r\n"), expectedReplies: 1, promise: promise, deadline: nil), promise: nil)
        _ = try channel.readOutbound(as: ByteBuffer.self)
        _ = try channel.finish()
        #expect(throws: RedisError.self) { try promise.futureResult.wait() }
    }

    @Test
    func garbageFromTheServerClosesTheConnection() throws {
        let channel = EmbeddedChannel()
        let handshake = channel.eventLoop.makePromise(of: Machine.HandshakeResult.self)
        try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(
            settings: .init(protocolVersion: .resp2, username: nil, password: nil, database: 0, clientName: nil),
            isSubscriber: false, handshakePromise: handshake, onPush: nil
        ))
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 6379)).wait()
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        channel.writeAndFlush(RedisRequest(encoded: ByteBuffer(string: "PING\r\n"), expectedReplies: 1, promise: promise, deadline: nil), promise: nil)
        try channel.writeInbound(ByteBuffer(string: "?garbage\r\n"))
        let error = try #require(throws: RedisError.self) { try promise.futureResult.wait() }
        #expect(error.code == .protocolViolation)
        #expect(!channel.isActive)
    }

    @Test
    func aMissingReplyTimesOutFailsEverythingAndCloses() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let handshake = channel.eventLoop.makePromise(of: Machine.HandshakeResult.self)
        try channel.pipeline.syncOperations.addHandler(RedisChannelHandler(
            settings: .init(protocolVersion: .resp2, username: nil, password: nil, database: 0, clientName: nil),
            isSubscriber: false, handshakePromise: handshake, onPush: nil
        ))
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 6379)).wait()
        _ = try handshake.futureResult.wait()
        let first = channel.eventLoop.makePromise(of: [RESPValue].self)
        let second = channel.eventLoop.makePromise(of: [RESPValue].self)
        channel.writeAndFlush(RedisRequest(encoded: ByteBuffer(string: "PING\r\n"), expectedReplies: 1, promise: first, deadline: loop.now + .seconds(1)), promise: nil)
        channel.writeAndFlush(RedisRequest(encoded: ByteBuffer(string: "PING\r\n"), expectedReplies: 1, promise: second, deadline: loop.now + .seconds(3)), promise: nil)
        try channel.writeInbound(ByteBuffer(string: "+PONG\r\n"))
        #expect(try first.futureResult.wait() == [.simpleString(ByteBuffer(string: "PONG"))])
        loop.advanceTime(by: .seconds(2))
        #expect(channel.isActive, "the second request is not late yet")
        loop.advanceTime(by: .seconds(2))
        let error = try #require(throws: RedisError.self) { try second.futureResult.wait() }
        #expect(error.code == .timeout)
        #expect(!channel.isActive)
    }
}

final class PushCollector: Sendable {
    private let storage = Mutex<[RESPValue]>([])
    func append(_ value: RESPValue) { self.storage.withLock { $0.append(value) } }
    var values: [RESPValue] { self.storage.withLock { $0 } }
}
