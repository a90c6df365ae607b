import EmporiumTesting
import NIOCore
import Testing
@testable import Redis

/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct RedisPubSubTests {
    @Test
    func receivesChannelAndPatternMessagesAndResubscribesAfterRestart() async throws {
        try await withRedisServer { server in
            try await withRedisClient(server.configuration) { redis in
                let p = uniquePrefix()
                let received = try await redis.withSubscription(channels: [p + "news"], patterns: [p + "product.*"]) { subscription in
                    var iterator = subscription.makeAsyncIterator()
                    var log: [RedisPubSubEvent] = []
                    #expect(await iterator.next() == .subscribed(isResubscription: false))
                    #expect(try await redis.publish("hello", to: p + "news") == 1)
                    #expect(try await redis.publish("changed", to: p + "product.42") == 1)
                    log.append(try #require(await iterator.next()))
                    log.append(try #require(await iterator.next()))

                    try await server.restart(downtime: .milliseconds(200))
                    #expect(await iterator.next() == .subscribed(isResubscription: true))
                    // The pool reconnects independently of the subscriber; retry until it is back.
                    try await eventually("the pool to reconnect and reach the subscriber") {
                        (try? await redis.publish("again", to: p + "news")) == 1
                    }
                    log.append(try #require(await iterator.next()))
                    return log
                }
                #expect(received == [
                    .message(channel: p + "news", payload: ByteBuffer(string: "hello")),
                    .patternMessage(pattern: p + "product.*", channel: p + "product.42", payload: ByteBuffer(string: "changed")),
                    .message(channel: p + "news", payload: ByteBuffer(string: "again")),
                ])
                // The subscriber connection is gone once the body returned.
                try await eventually("the subscriber connection to close") { try await redis.publish("late", to: p + "news") == 0 }
            }
        }
    }

    @Test
    func resp2SubscriberWorksToo() async throws {
        try await withRedisServer { server in
            var configuration = server.configuration
            configuration.protocolVersion = .resp2
            try await withRedisClient(configuration) { redis in
                let p = uniquePrefix()
                let event = try await redis.withSubscription(channels: [p + "c"]) { subscription in
                    var iterator = subscription.makeAsyncIterator()
                    #expect(await iterator.next() == .subscribed(isResubscription: false))
                    try await redis.publish("x", to: p + "c")
                    return await iterator.next()
                }
                #expect(event == .message(channel: p + "c", payload: ByteBuffer(string: "x")))
            }
        }
    }
}
