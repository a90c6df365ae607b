public import NIOCore
public import Redis

/// Channels across processes through Redis pub/sub. Publishing uses the shared client; following
/// uses one subscriber connection per process, on which a channel is subscribed only while a
/// local follower needs it (``RedisSubscriber`` counts them).
public struct RedisFanOut: FanOut {
    let client: RedisClient
    let subscriber: RedisSubscriber

    public init(client: RedisClient, subscriber: RedisSubscriber) {
        self.client = client
        self.subscriber = subscriber
    }

    public func publish(_ message: ByteBuffer, to channel: String) async throws {
        _ = try await client.publish(RESPArgument(message), to: channel)
    }

    public func follow(_ channel: String) -> FanOutMessages {
        let subscription = subscriber.subscribe(to: channel)
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        // One task per followed channel (not per client): it ends when the follower stops
        // iterating, which ends the Redis subscription with it.
        let pump = Task {
            for await event in subscription {
                if case .message(_, let payload) = event { continuation.yield(payload) }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in pump.cancel() }
        return FanOutMessages(stream)
    }
}
