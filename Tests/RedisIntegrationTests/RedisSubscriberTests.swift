import EmporiumTesting
import NIOCore
import Testing
@testable import Redis

/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct RedisSubscriberTests {
    /// Subscribers of `channel` on the server (PUBSUB NUMSUB), whatever the protocol's reply shape.
    static func subscriberCount(_ redis: RedisClient, _ channel: String) async throws -> Int {
        let reply = try await redis.send(command: "PUBSUB", arguments: ["NUMSUB", RESPArgument(channel)])
        if case .map(let map) = reply { return map.values.first?.int ?? -1 }
        return reply.array?.last?.int ?? -1
    }

    static func nextMessage(_ iterator: inout RedisSubscription.AsyncIterator) async -> String? {
        while let event = await iterator.next() {
            if case .message(_, let payload) = event { return String(buffer: payload) }
        }
        return nil
    }

    @Test
    func sharesOneConnectionCountsReferencesAndResubscribes() async throws {
        try await withRedisServer { (server: RedisServer) async throws -> Void in
            try await withRedisClient(server.configuration) { (redis: RedisClient) async throws -> Void in
                let subscriber = RedisSubscriber(configuration: server.configuration)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await subscriber.run() }
                    let p = uniquePrefix()
                    var first = subscriber.subscribe(to: p + "a").makeAsyncIterator()
                    var second = subscriber.subscribe(to: p + "a").makeAsyncIterator()
                    let other = subscriber.subscribe(to: p + "b")
                    try await eventually("one server subscription per channel, however many local subscribers") {
                        let a = try await Self.subscriberCount(redis, p + "a")
                        let b = try await Self.subscriberCount(redis, p + "b")
                        return a == 1 && b == 1
                    }

                    #expect(try await redis.publish("hello", to: p + "a") == 1)
                    #expect(await Self.nextMessage(&first) == "hello")
                    #expect(await Self.nextMessage(&second) == "hello")

                    // The last local subscriber of b leaves: the server subscription goes too.
                    let otherConsumer = Task { for await _ in other {} }
                    otherConsumer.cancel()
                    try await eventually("the unsubscribe from b") { try await Self.subscriberCount(redis, p + "b") == 0 }
                    #expect(subscriber.channels == [p + "a"])

                    try await server.restart(downtime: .milliseconds(200))
                    try await eventually("the resubscription after the restart") { (try? await Self.subscriberCount(redis, p + "a")) == 1 }
                    #expect(try await redis.publish("again", to: p + "a") == 1)
                    #expect(await Self.nextMessage(&first) == "again")
                    #expect(await Self.nextMessage(&second) == "again")
                    group.cancelAll()
                }
            }
        }
    }
}
