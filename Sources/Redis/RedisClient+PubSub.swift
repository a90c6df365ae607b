import Logging
public import NIOCore
import Synchronization

/// A message or a state change of a subscription.
public enum RedisPubSubEvent: Sendable, Equatable {
    /// All channels and patterns are subscribed. `isResubscription` is `true` after a reconnect:
    /// messages published while disconnected were lost, so derived state (an L1 cache) should be
    /// dropped.
    case subscribed(isResubscription: Bool)
    case message(channel: String, payload: ByteBuffer)
    case patternMessage(pattern: String, channel: String, payload: ByteBuffer)
}

/// The events of one subscription, in order. Ends when the `withSubscription` body returns.
public struct RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisPubSubEvent
    let stream: AsyncStream<RedisPubSubEvent>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<RedisPubSubEvent>.AsyncIterator
        public mutating func next() async -> RedisPubSubEvent? {
            await self.base.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.stream.makeAsyncIterator())
    }
}

extension RedisClient {
    /// Subscribes to channels and patterns on a dedicated connection for as long as `body` runs.
    ///
    /// If the connection drops, it reconnects with backoff and subscribes again, then yields
    /// `.subscribed(isResubscription: true)`. Events wait in a buffer while `body` is busy:
    /// unbounded by default; a bounded `bufferingPolicy` drops events when a slow consumer lets
    /// it fill.
    public func withSubscription<T: Sendable>(
        channels: [String] = [],
        patterns: [String] = [],
        bufferingPolicy: AsyncStream<RedisPubSubEvent>.Continuation.BufferingPolicy = .unbounded,
        _ body: (RedisSubscription) async throws -> T
    ) async throws -> T {
        precondition(!channels.isEmpty || !patterns.isEmpty, "subscribe to at least one channel or pattern")
        let (stream, continuation) = AsyncStream<RedisPubSubEvent>.makeStream(bufferingPolicy: bufferingPolicy)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.runSubscriber(channels: Array(Set(channels)), patterns: Array(Set(patterns)), continuation: continuation)
            }
            do {
                let result = try await body(RedisSubscription(stream: stream))
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private func runSubscriber(channels: [String], patterns: [String], continuation: AsyncStream<RedisPubSubEvent>.Continuation) async {
        defer { continuation.finish() }
        var attempt = 0
        var hasSubscribed = false
        while !Task.isCancelled {
            if attempt > 0 {
                do {
                    try await Task.sleep(for: self.configuration.reconnectBackoff.delay(attempt: attempt - 1))
                } catch {
                    return
                }
            }
            let pendingConfirmations = ConfirmationCounter(channels.count + patterns.count)
            let isResubscription = hasSubscribed
            let onPush: @Sendable (RESPValue) -> Void = { value in
                guard let elements = value.array, let kind = elements.first?.string?.lowercased() else { return }
                switch kind {
                case "message" where elements.count == 3:
                    if let channel = elements[1].string, let payload = elements[2].buffer {
                        continuation.yield(.message(channel: channel, payload: payload))
                    }
                case "pmessage" where elements.count == 4:
                    if let pattern = elements[1].string, let channel = elements[2].string, let payload = elements[3].buffer {
                        continuation.yield(.patternMessage(pattern: pattern, channel: channel, payload: payload))
                    }
                case "subscribe", "psubscribe":
                    if pendingConfirmations.confirm() { continuation.yield(.subscribed(isResubscription: isResubscription)) }
                default:
                    break
                }
            }
            do {
                let connection = try await RedisConnection.connect(
                    configuration: self.configuration, eventLoop: self.eventLoopGroup.any(), logger: self.logger,
                    isSubscriber: true, onPush: onPush
                )
                var commands: [RESPCommand] = []
                if !channels.isEmpty { commands.append(RESPCommand("SUBSCRIBE", channels.map { RESPArgument($0) })) }
                if !patterns.isEmpty { commands.append(RESPCommand("PSUBSCRIBE", patterns.map { RESPArgument($0) })) }
                try await connection.sendWithoutReply(commands)
                hasSubscribed = true
                attempt = 0
                await withTaskCancellationHandler {
                    await connection.waitUntilClosed()
                } onCancel: {
                    connection.channel.close(promise: nil)
                }
                if !Task.isCancelled {
                    self.logger.warning("redis subscriber connection lost; resubscribing")
                }
                attempt = 1
            } catch {
                if attempt % 20 == 0 {
                    self.logger.warning("redis subscriber connect failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                attempt += 1
            }
        }
    }
}

/// Counts SUBSCRIBE/PSUBSCRIBE confirmations of one connection.
private final class ConfirmationCounter: Sendable {
    private let remaining: Mutex<Int>

    init(_ expected: Int) { self.remaining = Mutex(expected) }

    /// Records one confirmation; `true` for the one that completes the set.
    func confirm() -> Bool {
        self.remaining.withLock { count in
            count -= 1
            return count == 0
        }
    }
}
